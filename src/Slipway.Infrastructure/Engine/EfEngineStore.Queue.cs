using Microsoft.EntityFrameworkCore;
using Slipway.Core.Cluster;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Infrastructure.Cluster;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Engine;

internal sealed partial class EfEngineStore
{
    /// <summary>
    /// Queued deployments read in the first page, oldest first; each further page is twice the last (up to 16 times
    /// this), so a long queue of blocked deployments costs a few round trips, not one per 64 rows.
    /// </summary>
    internal const int QueuePageSize = 64;

    public async Task<QueueState> LoadQueueStateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await LoadStateAsync(db, null, cancellationToken);
    }

    /// <summary>
    /// The queue as <see cref="ClaimPolicy"/> needs it, for one server (a claim: enough to fill it) or all this
    /// instance may run (a dispatch pass: enough to know which servers have a startable deployment). The running
    /// rows are all read; the queued ones a page at a time, oldest first, only until
    /// <see cref="ClaimPolicy.MoreCouldStart"/> says the rest cannot matter: with hundreds queued behind a full server,
    /// each claim used to read them all (bench/ha.sh).
    /// </summary>
    private async Task<QueueState> LoadStateAsync(SlipwayDbContext db, long? serverId, CancellationToken cancellationToken)
    {
        // The localhost server's work runs only on the machine it is bound to (see ClusterSetting.LocalhostMachine).
        var servers = await db.Servers.AsNoTracking()
            .Where(s => serverId == null || s.Id == serverId)
            .Where(s => lease.RunsLocalhost || !s.IsLocalhost)
            .Select(s => new { s.Id, s.ConcurrentBuilds, s.DynamicTimeout })
            .ToDictionaryAsync(s => s.Id, s => new ServerLimits(s.ConcurrentBuilds, s.DynamicTimeout), cancellationToken);
        var running = (await db.Deployments.AsNoTracking()
                .Where(d => d.Status == DeploymentStatus.InProgress)
                .Select(d => new RunningItem(d.Id, d.ApplicationId, d.PullRequestId, d.ServerId))
                .ToListAsync(cancellationToken))
            .Where(r => servers.ContainsKey(r.ServerId)).ToList();
        var queued = new List<QueuedItem>();
        if (servers.Count == 0)
        {
            return new QueueState(queued, running, servers);
        }

        var serverIds = servers.Keys.ToArray();
        var queuedHere = db.Deployments.AsNoTracking()
            .Where(d => d.Status == DeploymentStatus.Queued && serverIds.Contains(d.ServerId));
        // With one server (a claim, or an install with one) there is nothing to ask: an empty page says it has none.
        IReadOnlyList<long> serversWithQueued = serverIds.Length == 1
            ? serverIds
            : await queuedHere.Select(d => d.ServerId).Distinct().ToListAsync(cancellationToken);
        var pages = 0;
        while (serversWithQueued.Count > 0)
        {
            var page = queuedHere;
            if (queued.Count > 0)
            {
                var (afterCreated, afterId) = (queued[^1].CreatedAt, queued[^1].Id);
                page = page.Where(d => d.CreatedAt > afterCreated || (d.CreatedAt == afterCreated && d.Id > afterId));
            }

            var size = QueuePageSize << Math.Min(pages++, 4);
            var read = await page.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).Take(size)
                .Select(d => new QueuedItem(d.Id, d.ApplicationId, d.PullRequestId, d.ServerId, d.CreatedAt))
                .ToListAsync(cancellationToken);
            queued.AddRange(read);
            if (read.Count < size || !ClaimPolicy.MoreCouldStart(new QueueState(queued, running, servers), serversWithQueued, fill: serverId is not null))
            {
                break;
            }
        }

        return new QueueState(queued, running, servers);
    }

    public async Task<IReadOnlyList<long>> ClaimAsync(long serverId, CancellationToken cancellationToken)
    {
        var generation = lease.Generation;
        if (generation == 0)
        {
            return [];
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        (long[] Ids, DateTime StartedAt)? committing = null;
        // Retried as a whole (read, decide, write) when the database drops the connection mid-way.
        var claimed = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            // A retry after the commit was sent may follow a commit that landed and whose reply was lost: then its
            // deployments are in progress under this claim's stamp, and they are this claim's to run. Claimed again
            // from the queue they would be lost: not queued any more, and run by nobody.
            if (committing is { } sent && await LandedAsync(db, sent.Ids, generation, sent.StartedAt, cancellationToken) is { Count: > 0 } landed)
            {
                return landed;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Every instance's claims for this server queue here, so each sees the others' claims committed: a
            // SKIP LOCKED scan alone would let two instances each count one running build and both claim.
            await PostgresClusterLocks.LockForTransactionAsync(db, ClusterLockScope.ServerClaims, serverId, cancellationToken);
            var ids = ClaimPolicy.SelectStartable(await LoadStateAsync(db, serverId, cancellationToken)).Select(i => i.Id).ToArray();
            // Stamped after the read: a run whose end this claim saw (and whose slot it takes) wrote its finished_at
            // before committing, so it lies before this started_at. Taken before the read, the two could overlap.
            var now = Slipway.Core.Common.Timestamps.Now(clock);
            var won = new List<long>(ids.Length);
            using var later = announcements?.Defer();
            foreach (var id in ids)
            {
                var changed = await db.Deployments
                    .Where(d => d.Id == id && d.Status == DeploymentStatus.Queued)
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(d => d.Status, DeploymentStatus.InProgress).SetProperty(d => d.StartedAt, now)
                            .SetProperty(d => d.UpdatedAt, now).SetProperty(d => d.InstanceGeneration, generation),
                        cancellationToken);
                if (changed == 1)
                {
                    won.Add(id);
                }
            }

            committing = (won.ToArray(), now);
            await transaction.CommitAsync(cancellationToken);
            return won;
        });
        foreach (var id in claimed)
        {
            announcements?.RowChanged(id);
            feed.Notify(id);
        }

        return claimed;
    }

    /// <summary>Which of <paramref name="ids"/> a claim stamped <paramref name="startedAt"/> by this generation took.</summary>
    private static async Task<List<long>> LandedAsync(
        SlipwayDbContext db, long[] ids, long generation, DateTime startedAt, CancellationToken cancellationToken) =>
        await db.Deployments.AsNoTracking()
            .Where(d => ids.Contains(d.Id) && d.InstanceGeneration == generation && d.StartedAt == startedAt && d.Status != DeploymentStatus.Queued)
            .Select(d => d.Id)
            .ToListAsync(cancellationToken);
}
