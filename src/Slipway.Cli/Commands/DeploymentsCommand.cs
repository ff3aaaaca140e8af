using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using Slipway.Cli.Client;
using Slipway.Cli.Output;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway deployments list|get|cancel</c>.</summary>
internal static class DeploymentsCommand
{
    public static Command Build()
    {
        var deployments = new Command("deployments", "List, inspect and cancel deployments.");
        deployments.Add(List());
        deployments.Add(Get());
        deployments.Add(Cancel());
        return deployments;
    }

    private static Command List()
    {
        var output = ClientCommand.OutputOption();
        var application = new Option<string?>("--app") { Description = "An application's deployments, newest first (default: the queued and running ones)." };
        var take = new Option<int>("--take") { Description = "With --app: how many (default 10).", DefaultValueFactory = _ => 10 };
        var command = new Command("list", "List queued and running deployments, or an application's.") { application, take, output };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var client = ClientCommand.Connect();
            var app = result.GetValue(application);
            var path = app is null ? "deployments" : $"deployments/applications/{Uri.EscapeDataString(app)}?take={result.GetValue(take)}";
            var answer = (await client.GetAsync(path, cancellationToken)).EnsureSuccess("Listing deployments");
            if (ClientCommand.IsJson(result, output))
            {
                await ClientCommand.PrintRawAsync(answer);
                return ExitCodes.Success;
            }

            // GET /deployments is an array; the per-application list is {count, deployments}.
            var json = answer.Json();
            var items = (json as JsonArray ?? json["deployments"] as JsonArray ?? []).OfType<JsonObject>();
            Table.Print(
                ["DEPLOYMENT", "APPLICATION", "STATUS", "COMMIT", "CREATED"],
                items.Select(d => new[] { Text(d, "deployment_uuid"), Text(d, "application_name"), Text(d, "status"), Short(Text(d, "commit")), Text(d, "created_at") }));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Get()
    {
        var uuid = new Argument<string>("deployment-uuid");
        var output = ClientCommand.OutputOption();
        var command = new Command("get", "Show a deployment (its log: 'slipway logs').") { uuid, output };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var client = ClientCommand.Connect();
            var answer = (await client.GetAsync($"deployments/{Uri.EscapeDataString(result.GetRequiredValue(uuid))}", cancellationToken))
                .EnsureSuccess("Getting the deployment");
            if (ClientCommand.IsJson(result, output))
            {
                await ClientCommand.PrintRawAsync(answer);
                return ExitCodes.Success;
            }

            var d = answer.Json();
            Table.PrintFields(
            [
                ("deployment", Text(d, "deployment_uuid")),
                ("application", $"{Text(d, "application_name")} (id {Text(d, "application_id")})"),
                ("status", Text(d, "status")),
                ("commit", Text(d, "commit")),
                ("message", Text(d, "commit_message")?.Split('\n')[0]),
                ("server", Text(d, "server_name")),
                ("pull request", Text(d, "pull_request_id")),
                ("force rebuild", Text(d, "force_rebuild")),
                ("created", Text(d, "created_at")),
                ("updated", Text(d, "updated_at")),
                ("url", Text(d, "deployment_url")),
            ]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Cancel()
    {
        var uuid = new Argument<string>("deployment-uuid");
        var command = new Command("cancel", "Cancel a queued or running deployment.") { uuid };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var client = ClientCommand.Connect();
            var deployment = result.GetRequiredValue(uuid);
            var answer = await client.PostAsync($"deployments/{Uri.EscapeDataString(deployment)}/cancel", null, cancellationToken);
            if (answer.Status == HttpStatusCode.NotFound && answer.Message != "Deployment not found.")
            {
                throw new CliException("This server cannot cancel deployments (Coolify added the endpoint in 2025-10).", ExitCodes.Usage);
            }

            await Console.Out.WriteLineAsync(answer.EnsureSuccess($"Cancelling {deployment}").Message ?? "Deployment cancelled.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string? Text(JsonNode node, string name) => ApiResponse.Text(node[name]);

    private static string? Short(string? commit) => commit is { Length: 40 } ? commit[..7] : commit;
}
