using System.CommandLine;
using System.Text.Json.Nodes;
using Slipway.Cli.Client;
using Slipway.Cli.Output;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway apps list|get</c>.</summary>
internal static class AppsCommand
{
    public static Command Build()
    {
        var apps = new Command("apps", "List and inspect applications.");
        apps.Add(List());
        apps.Add(Get());
        return apps;
    }

    private static Command List()
    {
        var output = ClientCommand.OutputOption();
        var command = new Command("list", "List the team's applications.") { output };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var client = ClientCommand.Connect();
            var answer = (await client.GetAsync("applications", cancellationToken)).EnsureSuccess("Listing applications");
            if (ClientCommand.IsJson(result, output))
            {
                await ClientCommand.PrintRawAsync(answer);
                return ExitCodes.Success;
            }

            Table.Print(
                ["UUID", "NAME", "STATUS", "BUILD PACK", "SOURCE"],
                (answer.Json() as JsonArray ?? []).OfType<JsonObject>()
                    .Select(a => new[] { Text(a, "uuid"), Text(a, "name"), Text(a, "status"), Text(a, "build_pack"), Source(a) }));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Get()
    {
        var uuid = new Argument<string>("app-uuid");
        var output = ClientCommand.OutputOption();
        var command = new Command("get", "Show an application.") { uuid, output };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var client = ClientCommand.Connect();
            var answer = (await client.GetAsync($"applications/{Uri.EscapeDataString(result.GetRequiredValue(uuid))}", cancellationToken))
                .EnsureSuccess("Getting the application");
            if (ClientCommand.IsJson(result, output))
            {
                await ClientCommand.PrintRawAsync(answer);
                return ExitCodes.Success;
            }

            var a = answer.Json();
            Table.PrintFields(
            [
                ("uuid", Text(a, "uuid")),
                ("name", Text(a, "name")),
                ("status", Text(a, "status")),
                ("build pack", Text(a, "build_pack")),
                ("source", Source(a)),
                ("domains", Text(a, "fqdn")),
                ("ports", Text(a, "ports_exposes")),
                ("created", Text(a, "created_at")),
                ("updated", Text(a, "updated_at")),
            ]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string? Text(JsonNode node, string name) => ApiResponse.Text(node[name]);

    private static string? Source(JsonNode a) =>
        Text(a, "git_repository") is { } repository ? $"{repository}@{Text(a, "git_branch")}"
        : Text(a, "docker_registry_image_name") is { } image ? $"{image}:{Text(a, "docker_registry_image_tag")}"
        : null;
}
