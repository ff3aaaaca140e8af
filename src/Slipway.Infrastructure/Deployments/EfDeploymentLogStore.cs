using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Cluster;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Deployments;

/// <summary>
/// Appends deployment log lines as rows, in batches: lines are numbered and redacted on arrival, held briefly,
/// and inserted together (every <see cref="FlushInterval"/> or every <see cref="MaxBatch"/> lines). Nothing
/// is ever rewritten, so the cost of a line does not grow with the size of the log. Each stored batch is
/// announced on the <see cref="DeploymentLogFeed"/>; a deployment's log counts as being written (for followers)
/// from its first line until <see cref="CompleteAsync"/>, which also records it on the row (<c>log_complete</c>) for
/// followers on other instances. A log opened under a lease generation this instance has since lost is not written:
/// another instance owns the deployment, and its log, now. Commands' output is stored up to the deployment's
/// <see cref="LogLimits"/> (a build printing without end must not fill the database); past them it is dropped.
/// </summary>
internal sealed partial class EfDeploymentLogStore : IDeploymentLogStore, IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(50);
    public const int MaxBatch = 500;
    public const int MaxLineLength = 16 * 1024;

    private readonly IDbContextFactory<SlipwayDbContext> _contexts;
    private readonly TimeProvider _clock;
    private readonly ILogger<EfDeploymentLogStore> _logger;
    private readonly DeploymentLogFeed _feed;
    private readonly InstanceLease _lease;
    private readonly DeferredAnnouncements? _announcements;
    private readonly ConcurrentDictionary<long, State> _states = new();
    private readonly OnDemandTicker _ticker;
    private int _flushing;

    public EfDeploymentLogStore(
        IDbContextFactory<SlipwayDbContext> contexts,
        TimeProvider clock,
        DeploymentLogFeed feed,
        InstanceLease lease,
        ILogger<EfDeploymentLogStore> logger,
        DeferredAnnouncements? announcements = null)
    {
        _lease = lease;
        _announcements = announcements;
        _contexts = contexts;
        _clock = clock;
        _feed = feed;
        _logger = logger;
        // Real time whatever clock stamps the lines: tests that freeze the clock still see lines stored.
        _ticker = new OnDemandTicker(TimeProvider.System, FlushInterval, () => _ = FlushAllAsync());
    }

    public async ValueTask AppendAsync(long deploymentId, IReadOnlyList<LogLine> lines, CancellationToken cancellationToken)
    {
        if (lines.Count == 0)
        {
            return;
        }

        while (true)
        {
            var state = GetState(deploymentId);
            await state.Lock.WaitAsync(cancellationToken);
            try
            {
                if (state.Closed)
                {
                    // Completed while we waited: the lines belong to a new state (the log was reopened).
                    continue;
                }

                if (state.NextOrder == 0)
                {
                    state.NextOrder = await LoadNextOrderAsync(deploymentId, cancellationToken);
                }

                var now = Timestamps.Now(_clock);
                foreach (var line in lines)
                {
                    var output = Clean(LogRedactor.Redact(line.Output, state.Secrets));
                    var command = line.Command is null ? null : Clean(LogRedactor.Redact(line.Command, state.Secrets));
                    if (command is not null && !state.Admit(output))
                    {
                        if (!state.ReachedNoted)
                        {
                            // Once: the reason the log stops, as a line of Slipway's own (never itself dropped).
                            state.ReachedNoted = true;
                            LogCapped(_logger, deploymentId, state.Lines, state.Bytes);
                            Add(state, deploymentId, LogLine.Error(state.Limits.ReachedMessage(state.Lines, state.Bytes)), state.Limits.ReachedMessage(state.Lines, state.Bytes), null, now);
                        }

                        continue;
                    }

                    Add(state, deploymentId, line, output, command, now);
                }

                if (state.Pending.Count >= MaxBatch)
                {
                    await WriteLockedAsync(deploymentId, state, cancellationToken);
                }

                if (state.Pending.Count > 0)
                {
                    _ticker.Arm();
                }

                return;
            }
            finally
            {
                state.Lock.Release();
            }
        }
    }

    public async Task FlushAsync(long deploymentId, CancellationToken cancellationToken)
    {
        if (!_states.TryGetValue(deploymentId, out var state))
        {
            return;
        }

        await state.Lock.WaitAsync(cancellationToken);
        try
        {
            await WriteLockedAsync(deploymentId, state, cancellationToken);
        }
        finally
        {
            state.Lock.Release();
        }
    }

    public void SetSecrets(long deploymentId, IReadOnlyCollection<string> secrets) =>
        GetState(deploymentId).Secrets = secrets.Where(s => s.Length > 0).ToArray();

    public void SetLimits(long deploymentId, LogLimits limits) => GetState(deploymentId).Limits = limits;

    public Task CompleteAsync(long deploymentId, CancellationToken cancellationToken) => EndAsync(deploymentId, record: true, cancellationToken);

    public Task CloseAsync(long deploymentId, CancellationToken cancellationToken) => EndAsync(deploymentId, record: false, cancellationToken);

    /// <summary>Stores what is pending, forgets the deployment's state and, when asked to, records the log whole on the row.</summary>
    private async Task EndAsync(long deploymentId, bool record, CancellationToken cancellationToken)
    {
        if (!_states.TryGetValue(deploymentId, out var state))
        {
            if (!record)
            {
                return;
            }

            await MarkCompleteAsync(deploymentId, _lease.Generation, cancellationToken);
            // Followers here waiting for the end of the log re-check it (the other instances hear it from the trigger).
            _feed.NotifyLog(deploymentId);
            return;
        }

        await state.Lock.WaitAsync(cancellationToken);
        try
        {
            if (state.Closed)
            {
                return;
            }

            await WriteLockedAsync(deploymentId, state, cancellationToken);
            if (record)
            {
                await MarkCompleteAsync(deploymentId, state.Generation, cancellationToken);
            }

            state.Closed = true;
            _feed.Recent.Forget(deploymentId);
            _states.TryRemove(KeyValuePair.Create(deploymentId, state));
        }
        finally
        {
            state.Lock.Release();
        }

        // Only now, with every line stored, may followers of an ended deployment stop.
        state.Hold.Dispose();
    }

    public IDisposable KeepOpen(long deploymentId) => _feed.HoldOpen(deploymentId);

    public void Dispose() => _ticker.Dispose();

    private async Task FlushAllAsync()
    {
        if (Interlocked.Exchange(ref _flushing, 1) == 1)
        {
            // The flush under way may already have passed the lines that armed this tick: the next tick takes them.
            _ticker.Arm();
            return;
        }

        try
        {
            foreach (var (deploymentId, state) in _states)
            {
                if (state.Pending.Count > 0)
                {
                    await FlushAsync(deploymentId, CancellationToken.None);
                }
            }
        }
        catch (Exception ex)
        {
            LogFlushFailed(_logger, ex);
        }
        finally
        {
            Volatile.Write(ref _flushing, 0);
        }
    }

    private async Task WriteLockedAsync(long deploymentId, State state, CancellationToken cancellationToken)
    {
        if (state.Pending.Count == 0)
        {
            return;
        }

        var batch = state.Pending.ToArray();
        state.Pending.Clear();
        if (!_lease.MayWrite(state.Generation))
        {
            LogFenced(_logger, deploymentId, batch.Length);
            return;
        }

        try
        {
            await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
            await LogRowInserter.InsertAsync(db, batch, _announcements is null ? null : DeferredAnnouncements.LeadingStatement, cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException or RetryLimitExceededException)
        {
            // The deployment was deleted under us (its application was removed): there is nowhere to write. (Or every
            // retry failed after a commit that may have landed: announce in case the rows are there.)
            _announcements?.LogAppended(deploymentId);
            LogWriteFailed(_logger, ex, deploymentId, batch.Length);
            return;
        }

        _announcements?.LogAppended(deploymentId);
        _feed.Recent.Stored(deploymentId, batch);
        _feed.NotifyLog(deploymentId);
    }

    /// <summary>Records on the row that its log is whole, so followers on every instance may stop at a terminal status.</summary>
    private async Task MarkCompleteAsync(long deploymentId, long generation, CancellationToken cancellationToken)
    {
        if (!_lease.MayWrite(generation))
        {
            return;
        }

        try
        {
            await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
            await db.Deployments.Where(d => d.Id == deploymentId && !d.LogComplete)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LogComplete, true), cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            LogWriteFailed(_logger, ex, deploymentId, 0);
        }
    }

    private async Task<int> LoadNextOrderAsync(long deploymentId, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var max = await db.DeploymentLogEntries.Where(e => e.DeploymentId == deploymentId).MaxAsync(e => (int?)e.Order, cancellationToken);
        return (max ?? 0) + 1;
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Flushing deployment logs failed.")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Deployment {DeploymentId} reached its log limit after {Lines} lines ({Bytes} bytes) of command output; the rest is not stored.")]
    private static partial void LogCapped(ILogger logger, long deploymentId, int lines, long bytes);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Could not store {Count} log lines of deployment {DeploymentId}.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, long deploymentId, int count);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Dropped {Count} log lines of deployment {DeploymentId}: this instance lost its lease, another owns the log.")]
    private static partial void LogFenced(ILogger logger, long deploymentId, int count);
}
