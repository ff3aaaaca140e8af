using System.CommandLine;
using System.Net;
using System.Text.Json;
using Slipway.Cli.Client;

namespace Slipway.Cli.Commands;

/// <summary>
/// <c>slipway logs DEPLOYMENT_UUID [--follow]</c>: a deployment's log, as stored. Text shows each entry's output on a
/// line (hidden debug entries with <c>--debug</c>; on a terminal without escape sequences unless <c>--raw</c>);
/// <c>--output json</c> gives every entry in Coolify's entry shape.
/// </summary>
internal static class LogsCommand
{
    private const int PageSize = 10_000;

    public static Command Build()
    {
        var uuid = new Argument<string>("deployment-uuid");
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new entries until the deployment ends; exit 0 finished, 1 failed, 2 cancelled, 3 timed out." };
        var timeout = ClientCommand.TimeoutOption("With --follow: give up after this long (default: never).", null);
        var output = ClientCommand.OutputOption();
        var debug = ClientCommand.DebugOption();
        var raw = ClientCommand.RawOption();
        var command = new Command("logs", "Print a deployment's log.") { uuid, follow, timeout, output, debug, raw };
        command.SetAction(async (result, cancellationToken) =>
        {
            var deployment = result.GetRequiredValue(uuid).Trim();
            var json = ClientCommand.IsJson(result, output);
            using var client = ClientCommand.Connect();
            if (result.GetValue(follow))
            {
                var printer = ClientCommand.Printer(json, debug: json || result.GetValue(debug), result.GetValue(raw));
                return await ClientCommand.FollowAsync(client, deployment, printer, result.GetValue(timeout), cancellationToken);
            }

            if (json)
            {
                await PrintJsonAsync(client, deployment, cancellationToken);
            }
            else
            {
                var printer = ClientCommand.Printer(json: false, result.GetValue(debug), result.GetValue(raw));
                await foreach (var page in PagesAsync(client, deployment, cancellationToken))
                {
                    page.ForEach(printer.Entry);
                    printer.Flush();
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task PrintJsonAsync(SlipwayClient client, string deployment, CancellationToken cancellationToken)
    {
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 64 * 1024);
        await stdout.WriteAsync('[');
        var first = true;
        await foreach (var page in PagesAsync(client, deployment, cancellationToken))
        {
            foreach (var entry in page)
            {
                await stdout.WriteAsync(first ? "" : ",");
                await stdout.WriteAsync(JsonSerializer.Serialize(entry, ClientJson.EntryOutput));
                first = false;
            }
        }

        await stdout.WriteLineAsync(']');
    }

    /// <summary>The whole log, oldest first, a page at a time; from Coolify's <c>logs</c> field when the server has no logs endpoint.</summary>
    private static async IAsyncEnumerable<List<LogEntry>> PagesAsync(
        SlipwayClient client, string deployment, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = $"deployments/{Uri.EscapeDataString(deployment)}";
        var after = 0;
        while (true)
        {
            var answer = await client.GetAsync($"{path}/logs?after={after}&limit={PageSize}", cancellationToken);
            if (answer.Status == HttpStatusCode.NotFound && answer.Message != "Deployment not found.")
            {
                var whole = (await client.GetAsync(path, cancellationToken)).EnsureSuccess($"Reading the log of {deployment}").Json();
                var logs = whole["logs"] ?? throw new CliException(
                    $"The log of {deployment} is hidden from this token (it needs read:sensitive or root).", ExitCodes.Usage);
                yield return ClientJson.ParseLogs(ApiResponse.Text(logs));
                yield break;
            }

            var page = answer.EnsureSuccess($"Reading the log of {deployment}").Json();
            var entries = page["entries"].Deserialize(ClientJson.Default.ListLogEntry) ?? [];
            yield return entries;
            if (page["has_more"]?.GetValue<bool>() != true || entries.Count == 0)
            {
                yield break;
            }

            after = entries[^1].Order ?? after;
        }
    }
}
