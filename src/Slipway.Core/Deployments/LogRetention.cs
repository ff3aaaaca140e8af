using Microsoft.Extensions.Logging;
using Slipway.Core.Cluster;
using Slipway.Core.Common;

namespace Slipway.Core.Deployments;

/// <summary>
/// Keeps deployment logs bounded: a pass replaces the log of every ended deployment beyond its application's newest
/// <c>deployment_log_retention</c> (its server's setting) with one line saying so. The deployment itself stays, with
/// its status and times. Rows go in small batches, each its own short transaction with a pause after it, so the log
/// appends of running deployments never wait long behind a pass. The notice is written first, after the last line,
/// then everything before it is deleted, then the deployment is marked: a pass cut short leaves a log that reads
/// right (the notice last) and the next pass finishes it. One instance prunes at a time (a cluster-wide lock); the
/// others skip that round.
/// </summary>
public sealed partial class LogRetention(
    ILogRetentionStore store,
    IClusterLocks locks,
    LogRetentionOptions options,
    TimeProvider clock,
    ILogger<LogRetention> logger)
{
    /// <summary>Deployments looked up at a time.</summary>
    public const int FindBatch = 200;

    /// <summary>How the notice line starts (a pass cut short finds its notice by it).</summary>
    public const string NoticePrefix = "Log pruned by retention:";

    /// <summary>The one line a pruned deployment's log holds.</summary>
    public static string Notice(int keep) =>
        $"{NoticePrefix} this server keeps the logs of each application's newest {keep} deployments (its deployment_log_retention "
        + "setting) and this deployment is older. Its record (status, commit, times) is kept.";

    /// <summary>Runs one pass; returns how many deployments' logs it pruned (0 when another instance was pruning).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var held = await locks.TryAcquireAsync(ClusterLockScope.LogRetention, 0, cancellationToken);
        if (held is null)
        {
            LogSkipped(logger);
            return 0;
        }

        var pruned = 0;
        var failed = new HashSet<long>();
        while (true)
        {
            var found = await store.FindPrunableAsync(FindBatch, cancellationToken);
            var todo = found.Where(f => !failed.Contains(f.DeploymentId)).ToList();
            foreach (var log in todo)
            {
                try
                {
                    await PruneAsync(log, cancellationToken);
                    pruned++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One deployment that cannot be pruned (deleted under us, say) must not stop the others.
                    LogPruneFailed(logger, ex, log.DeploymentId);
                    failed.Add(log.DeploymentId);
                }

                // A deployment's notice, last delete and mark are write transactions back to back: without a gap after
                // them, a pass over many short logs holds SQLite's write lock nearly all the time and a running
                // deployment's log append, polling in the busy handler's growing steps, waited up to seconds
                // (bench/at-scale.sh, docs/benchmarks.md "at-scale").
                await Task.Delay(options.PauseBetweenBatches, clock, cancellationToken);
            }

            if (found.Count < FindBatch || todo.Count == 0)
            {
                break;
            }
        }

        if (pruned > 0)
        {
            LogPruned(logger, pruned);
        }

        return pruned;
    }

    private async Task PruneAsync(PrunableLog log, CancellationToken cancellationToken)
    {
        var notice = await store.AppendNoticeAsync(log.DeploymentId, Notice(log.Keep), Timestamps.Now(clock), cancellationToken);
        while (await store.DeleteBeforeAsync(log.DeploymentId, notice, options.BatchSize, cancellationToken) == options.BatchSize)
        {
            await Task.Delay(options.PauseBetweenBatches, clock, cancellationToken);
        }

        await store.MarkPrunedAsync(log.DeploymentId, Timestamps.Now(clock), cancellationToken);
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Log retention pruned the logs of {Count} deployments.")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Log retention could not prune the log of deployment {DeploymentId}; the next pass tries again.")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception, long deploymentId);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Debug, Message = "Log retention skipped a pass: another instance is pruning.")]
    private static partial void LogSkipped(ILogger logger);
}
