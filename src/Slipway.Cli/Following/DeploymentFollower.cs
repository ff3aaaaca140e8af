using System.Net;
using System.Text.Json;
using Slipway.Cli.Client;
using Slipway.Core.Deployments;

namespace Slipway.Cli.Following;

/// <summary>
/// Follows a deployment until it ends, printing each log entry once, and returns its final status. It prefers
/// Slipway's event stream (resuming with <c>Last-Event-ID</c> after a dropped connection); on a server without it
/// (Coolify answers 404 <c>Not found.</c> for the URL) it polls the deployment every 2 s and prints only entries
/// it has not printed; with a token that may not read logs it waits for the status alone (Slipway's long-poll).
/// </summary>
internal sealed class DeploymentFollower(SlipwayClient client, LogPrinter printer, TextWriter notes)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>Without a byte for this long (the server sends keep-alives every 15 s) the stream is presumed dead.</summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(45);

    private const int MaxReconnects = 8;
    private const string NotFoundMessage = "Deployment not found.";

    private int _lastOrder;

    public static bool IsTerminal(string? status) => DeploymentStatuses.TryFromWire(status)?.IsTerminal() == true;

    public async Task<string> FollowAsync(string deploymentUuid, CancellationToken cancellationToken)
    {
        var path = $"deployments/{Uri.EscapeDataString(deploymentUuid)}";
        var failures = 0;
        while (true)
        {
            Attempt attempt;
            try
            {
                attempt = await StreamAsync(path, deploymentUuid, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidDataException or TimeoutException
                && !cancellationToken.IsCancellationRequested)
            {
                if (++failures > MaxReconnects)
                {
                    throw client.Unreachable(ex);
                }

                await notes.WriteLineAsync($"Connection lost ({ex.Message}); resuming after entry {_lastOrder}.");
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(failures, 5)), cancellationToken);
                continue;
            }

            switch (attempt.Result)
            {
                case AttemptResult.Ended:
                    return attempt.Status!;
                case AttemptResult.NoStream:
                    await notes.WriteLineAsync("The server has no log stream (it is not Slipway, or an older one): polling the deployment every 2 s.");
                    return await PollAsync(path, deploymentUuid, cancellationToken);
                case AttemptResult.NoLogAccess:
                    await notes.WriteLineAsync("This token may not read deployment logs (that needs read:sensitive or root): waiting for the status only.");
                    return await WaitForStatusAsync(path, deploymentUuid, attempt.Status, cancellationToken);
                default:
                    // The server closed the stream early (a restart): resume where we were.
                    failures = attempt.Received ? 0 : failures + 1;
                    if (failures > MaxReconnects)
                    {
                        throw new CliException($"{client.ApiBase} keeps closing the log stream of {deploymentUuid}.", ExitCodes.Usage);
                    }

                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(failures, 5)), cancellationToken);
                    break;
            }
        }
    }

    private async Task<Attempt> StreamAsync(string path, string deploymentUuid, CancellationToken cancellationToken)
    {
        using var response = await client.OpenEventStreamAsync($"{path}/logs?after={_lastOrder}", _lastOrder, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var answer = new ApiResponse(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            return answer.Status switch
            {
                HttpStatusCode.NotFound when answer.Message == NotFoundMessage => throw NotFound(deploymentUuid),
                HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed => new Attempt(AttemptResult.NoStream),
                HttpStatusCode.Forbidden when answer.Message?.Contains("read:sensitive", StringComparison.Ordinal) == true => new Attempt(AttemptResult.NoLogAccess),
                _ => throw answer.ToError($"Following {deploymentUuid}"),
            };
        }

        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            return new Attempt(AttemptResult.NoStream);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var reader = new ServerSentEventReader(body);
        var events = new List<ServerSentEvent>();
        var received = false;
        string? status = null;
        while (true)
        {
            events.Clear();
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(IdleLimit);
            bool more;
            try
            {
                more = await reader.ReadAsync(events, idle.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"nothing received for {IdleLimit.TotalSeconds:0} s");
            }

            foreach (var e in events)
            {
                received = true;
                if (e.Type == "entry")
                {
                    Print(JsonSerializer.Deserialize(e.Data, ClientJson.Default.LogEntry));
                }
                else if (e.Type == "status" && JsonSerializer.Deserialize(e.Data, ClientJson.Default.StatusEvent)?.Status is { } s)
                {
                    status = s;
                    printer.Status(s);
                }
            }

            printer.Flush();
            if (!more)
            {
                // The terminal status event is the stream's last: after it, every entry has been sent.
                return IsTerminal(status) ? new Attempt(AttemptResult.Ended, status, received) : new Attempt(AttemptResult.Closed, status, received);
            }
        }
    }

    private async Task<string> PollAsync(string path, string deploymentUuid, CancellationToken cancellationToken)
    {
        var warned = false;
        while (true)
        {
            var answer = await client.GetAsync(path, cancellationToken);
            if (answer.Status == HttpStatusCode.NotFound)
            {
                throw NotFound(deploymentUuid);
            }

            var deployment = answer.EnsureSuccess($"Following {deploymentUuid}").Json();
            var logs = deployment["logs"];
            if (logs is null && !warned)
            {
                warned = true;
                await notes.WriteLineAsync("The deployment's logs are hidden from this token (it needs read:sensitive or root): waiting for the status only.");
            }

            foreach (var entry in ClientJson.ParseLogs(ApiResponse.Text(logs)))
            {
                Print(entry);
            }

            printer.Flush();
            var status = ApiResponse.Text(deployment["status"]);
            if (status is not null)
            {
                printer.Status(status);
            }

            if (IsTerminal(status))
            {
                return status!;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private async Task<string> WaitForStatusAsync(string path, string deploymentUuid, string? seen, CancellationToken cancellationToken)
    {
        while (true)
        {
            var query = seen is null ? "" : $"?wait=60&status={Uri.EscapeDataString(seen)}";
            var answer = await client.GetAsync(path + query, cancellationToken, TimeSpan.FromSeconds(90));
            if (answer.Status == HttpStatusCode.NotFound)
            {
                throw NotFound(deploymentUuid);
            }

            var status = ApiResponse.Text(answer.EnsureSuccess($"Following {deploymentUuid}").Json()["status"]);
            if (status is not null && status != seen)
            {
                printer.Status(status);
            }

            if (IsTerminal(status))
            {
                return status!;
            }

            seen = status;
        }
    }

    private void Print(LogEntry? entry)
    {
        // Each entry once, in order: a resumed stream or a repeated poll never prints one again.
        if (entry?.Order is { } order && order > _lastOrder)
        {
            printer.Entry(entry);
            _lastOrder = order;
        }
    }

    private static CliException NotFound(string deploymentUuid) => new($"Deployment {deploymentUuid} not found.", ExitCodes.Usage);

    private enum AttemptResult
    {
        Ended,
        Closed,
        NoStream,
        NoLogAccess,
    }

    private sealed record Attempt(AttemptResult Result, string? Status = null, bool Received = false);
}
