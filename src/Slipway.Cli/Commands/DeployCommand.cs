using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using Slipway.Cli.Client;

namespace Slipway.Cli.Commands;

/// <summary>
/// <c>slipway deploy APP_UUID</c>: queues a deployment through <c>POST /deploy</c> and prints its uuid; with
/// <c>--wait</c> it follows the log to the end and exits with the outcome (see <see cref="ExitCodes"/>).
/// </summary>
internal static class DeployCommand
{
    public static Command Build()
    {
        var application = new Argument<string>("app-uuid") { Description = "The application to deploy." };
        var force = new Option<bool>("--force") { Description = "Rebuild without the build cache." };
        var pullRequest = new Option<int?>("--pr") { Description = "Deploy the preview of this pull request." };
        var wait = new Option<bool>("--wait") { Description = "Follow the log until the deployment ends; exit 0 finished, 1 failed, 2 cancelled, 3 timed out." };
        var timeout = ClientCommand.TimeoutOption("With --wait: how long to wait (default 30m).", "30m");
        var debug = ClientCommand.DebugOption();
        var raw = ClientCommand.RawOption();
        var command = new Command("deploy", "Deploy an application; prints the deployment's uuid.") { application, force, pullRequest, wait, timeout, debug, raw };
        command.SetAction(async (result, cancellationToken) =>
        {
            var uuid = result.GetRequiredValue(application).Trim();
            var body = new JsonObject { ["uuid"] = uuid, ["force"] = result.GetValue(force) };
            if (result.GetValue(pullRequest) is { } pr)
            {
                body["pr"] = pr;
            }

            using var client = ClientCommand.Connect();
            var answer = await client.PostAsync("deploy", body, cancellationToken);
            var deployment = DeploymentOf(answer, uuid);
            await Console.Out.WriteLineAsync(deployment);
            await Console.Out.FlushAsync(cancellationToken);
            if (!result.GetValue(wait))
            {
                return ExitCodes.Success;
            }

            var printer = ClientCommand.Printer(json: false, result.GetValue(debug), result.GetValue(raw));
            return await ClientCommand.FollowAsync(client, deployment, printer, result.GetValue(timeout), cancellationToken);
        });
        return command;
    }

    /// <summary>The queued (or already queued) deployment's uuid; anything else is the server's message as an error.</summary>
    private static string DeploymentOf(ApiResponse answer, string application)
    {
        var what = $"Deploying {application}";
        if (answer.Status is not (HttpStatusCode.OK or HttpStatusCode.NotFound))
        {
            throw answer.ToError(what);
        }

        var items = (answer.Json() as JsonObject)?["deployments"] as JsonArray;
        var item = items?.OfType<JsonObject>().FirstOrDefault(i => ApiResponse.Text(i["resource_uuid"]) == application) ?? items?.OfType<JsonObject>().FirstOrDefault();
        if (ApiResponse.Text(item?["deployment_uuid"]) is { Length: > 0 } deployment)
        {
            if (ApiResponse.Text(item!["message"]) is { } message)
            {
                Console.Error.WriteLine(message);
            }

            return deployment;
        }

        // Coolify answers 200 with a message and no uuid when nothing was queued ("Pull request 3 not found ...").
        throw new CliException($"{what}: {ApiResponse.Text(item?["message"]) ?? answer.Message ?? "the server queued nothing"}", ExitCodes.Usage);
    }
}
