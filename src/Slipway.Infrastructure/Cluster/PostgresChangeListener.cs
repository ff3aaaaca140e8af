using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// Listens on <see cref="Channel"/> on a dedicated connection and hands what other instances (and triggers) announce
/// to <see cref="CacheInvalidation"/> and <see cref="RemoteCancellation"/>. Payloads are <c>{origin}/{message}</c>, the
/// origin naming the writing process (<see cref="PostgresSessions"/>); this process's own are skipped, as its writes
/// told its caches and followers already. Messages: <c>d:{id}:{0|1}</c> a deployment row changed (1: its status),
/// <c>l:{id}</c> log rows stored, <c>t:{table}</c> tokens or teams changed, <c>c:{id}:{generation}:{reason}</c> cancel a
/// run, <c>b:{message},{message},…</c> a batch of <c>d</c> and <c>l</c> messages (<see cref="DeferredAnnouncements"/>).
/// When the connection drops it reconnects with backoff and, since notifications sent meanwhile are lost, treats
/// everything as changed; so it does when another instance's lease lapses (checked every 5 s).
/// </summary>
public sealed partial class PostgresChangeListener(
    PostgresSessions sessions,
    CacheInvalidation caches,
    RemoteCancellation cancellations,
    ILogger<PostgresChangeListener> logger) : BackgroundService
{
    public const string Channel = "slipway_changes";

    /// <summary>Starts a batch of messages, comma-separated (<see cref="DeferredAnnouncements"/>).</summary>
    public const string BatchPrefix = "b:";

    /// <summary>How often the listener looks for instances whose lease lapsed (see <see cref="AnyLapsedAsync"/>).</summary>
    private static readonly TimeSpan LapseCheck = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first LISTEN is in place.</summary>
    public Task Listening => _listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        var first = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(sessions.DedicatedConnectionString);
                connection.Notification += (_, e) => Dispatch(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                if (!first)
                {
                    LogReconnected(logger);
                    caches.EverythingChanged();
                }

                first = false;
                _listening.TrySetResult();
                backoff = TimeSpan.FromMilliseconds(100);
                var since = await AnyLapsedAsync(connection, null, stoppingToken);
                var checkedAt = Stopwatch.GetTimestamp();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(LapseCheck, stoppingToken);
                    if (Stopwatch.GetElapsedTime(checkedAt) >= LapseCheck)
                    {
                        since = await AnyLapsedAsync(connection, since, stoppingToken);
                        checkedAt = Stopwatch.GetTimestamp();
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogConnectionLost(logger, ex, backoff.TotalMilliseconds);
                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 5000));
            }
        }
    }

    /// <summary>
    /// Whether an instance's lease lapsed (it died, or froze) since <paramref name="since"/> (database milliseconds), and
    /// if one did, everything counts as changed: what it had still to announce (<see cref="DeferredAnnouncements"/>)
    /// never comes. An instance that stopped cleanly sent it before it stopped. Returns the database's now.
    /// </summary>
    private async Task<long> AnyLapsedAsync(NpgsqlConnection connection, long? since, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            WITH clock AS (SELECT {DatabaseClock.PostgresNowMs} AS now)
            SELECT clock.now, EXISTS (SELECT 1 FROM slipway_instances
                WHERE stopped_at IS NULL AND lease_expires_ms > $1 AND lease_expires_ms <= clock.now)
            FROM clock
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = since ?? long.MaxValue });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.GetBoolean(1))
        {
            LogInstanceLapsed(logger);
            caches.EverythingChanged();
        }

        return reader.GetInt64(0);
    }

    private void Dispatch(string payload)
    {
        try
        {
            var slash = payload.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0 && payload.AsSpan(0, slash).SequenceEqual(sessions.Origin))
            {
                return;
            }

            var message = payload[(slash + 1)..];
            if (message.StartsWith(BatchPrefix, StringComparison.Ordinal))
            {
                foreach (var each in message[BatchPrefix.Length..].Split(','))
                {
                    Handle(each);
                }

                return;
            }

            Handle(message);
        }
        catch (Exception ex)
        {
            LogDispatchFailed(logger, ex, payload);
        }
    }

    private void Handle(string message)
    {
        var parts = message.Split(':', 4);
        switch (parts[0])
        {
            case "d" when parts.Length >= 3 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                caches.DeploymentChanged(id, parts[2] == "1");
                break;
            case "l" when parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                caches.LogAppended(id);
                break;
            case "t":
                caches.TokensChanged();
                break;
            case "c" when parts.Length == 4
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var generation):
                cancellations.Received(id, generation, parts[3]);
                break;
        }
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning, Message = "Lost the notification connection; reconnecting in {Milliseconds} ms.")]
    private static partial void LogConnectionLost(ILogger logger, Exception exception, double milliseconds);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Information, Message = "Notification connection re-opened: re-reading state.")]
    private static partial void LogReconnected(ILogger logger);

    [LoggerMessage(EventId = 3024, Level = LogLevel.Information, Message = "Another instance's lease lapsed: re-reading state.")]
    private static partial void LogInstanceLapsed(ILogger logger);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Error, Message = "Could not handle notification {Payload}.")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, string payload);
}
