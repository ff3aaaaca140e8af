using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Cli.Config;
using Slipway.Cli.Following;
using Slipway.Cli.Output;
using Slipway.Core.Deployments;
using Spectre.Console;

namespace Slipway.Cli.Commands;

/// <summary>What the client commands share: the <c>--output</c> option, the connection, and waiting for a deployment.</summary>
internal static class ClientCommand
{
    public const string Json = "json";

    public static Option<string> OutputOption()
    {
        var option = new Option<string>("--output", "-o") { Description = "text (default) or json, for scripts.", DefaultValueFactory = _ => "text" };
        option.AcceptOnlyFromAmong("text", Json);
        return option;
    }

    public static Option<bool> DebugOption() =>
        new("--debug") { Description = "Also show hidden (debug) log entries." };

    public static Option<TimeSpan?> TimeoutOption(string description, string? defaultValue)
    {
        var option = new Option<TimeSpan?>("--timeout")
        {
            Description = description,
            HelpName = "DURATION",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : defaultValue;
                if (text is null)
                {
                    return null;
                }

                if (Durations.TryParse(text, out var duration))
                {
                    return duration;
                }

                result.AddError($"'{text}' is not a duration: use e.g. 90s, 30m, 1h30m.");
                return null;
            },
        };
        if (defaultValue is not null)
        {
            option.DefaultValueFactory = result => Durations.TryParse(defaultValue, out var d) ? d : null;
        }

        return option;
    }

    public static bool IsJson(ParseResult result, Option<string> output) => result.GetValue(output) == Json;

    public static SlipwayClient Connect() => new(ServerTarget.Resolve(ContextStore.Default()));

    /// <summary>The raw JSON answer, as the server wrote it (what <c>--output json</c> prints).</summary>
    public static async Task PrintRawAsync(ApiResponse answer)
    {
        await Console.Out.WriteAsync(answer.Body);
        if (!answer.Body.EndsWith('\n'))
        {
            await Console.Out.WriteLineAsync();
        }
    }

    public static Option<bool> RawOption() =>
        new("--raw") { Description = "Print log lines exactly as stored, escape sequences included, even to a terminal." };

    /// <summary>
    /// JSON lines; else, on a terminal, lines with escape sequences stripped (the spinner printer when the terminal is
    /// interactive); else — into a pipe or a file, or with <paramref name="raw"/> — the lines exactly as stored.
    /// </summary>
    public static LogPrinter Printer(bool json, bool debug, bool raw = false) =>
        json ? new JsonLinesLogPrinter(debug)
        : raw ? new PlainLogPrinter(debug)
        : !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive ? new TerminalLogPrinter(debug)
        : new PlainLogPrinter(debug, strip: !Console.IsOutputRedirected);

    /// <summary>
    /// Follows a deployment to its end and turns the outcome into the exit code: 0 finished; otherwise one
    /// <c>ERROR:</c> line and 1 failed, 2 cancelled, 3 when <paramref name="timeout"/> passed first.
    /// </summary>
    public static async Task<int> FollowAsync(SlipwayClient client, string deploymentUuid, LogPrinter printer, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit)
        {
            deadline.CancelAfter(limit);
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        string status;
        try
        {
            var follower = new DeploymentFollower(client, printer, Console.Error);
            status = await printer.RunAsync(() => follower.FollowAsync(deploymentUuid, deadline.Token));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            printer.Flush();
            throw new CliException(
                $"Timed out after {Durations.Format(timeout!.Value)} waiting for deployment {deploymentUuid}; it goes on on the server "
                + $"(stop it with 'slipway deployments cancel {deploymentUuid}').",
                ExitCodes.TimedOut);
        }

        var after = Durations.Format(started.Elapsed);
        return status switch
        {
            DeploymentStatuses.Finished => await SucceededAsync($"Deployment {deploymentUuid} finished ({after})."),
            DeploymentStatuses.CancelledByUser => throw new CliException($"Deployment {deploymentUuid} was cancelled ({after}).", ExitCodes.Cancelled),
            _ => throw new CliException($"Deployment {deploymentUuid} failed ({after}).", ExitCodes.Failed),
        };
    }

    private static async Task<int> SucceededAsync(string message)
    {
        await Console.Error.WriteLineAsync(message);
        return ExitCodes.Success;
    }
}
