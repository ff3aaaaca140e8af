using Microsoft.EntityFrameworkCore;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Deployments;

/// <summary><see cref="ILogRetentionStore"/> over EF Core, the same SQL on SQLite and PostgreSQL.</summary>
internal sealed class EfLogRetentionStore(IDbContextFactory<SlipwayDbContext> contexts) : ILogRetentionStore
{
    public async Task<IReadOnlyList<PrunableLog>> FindPrunableAsync(int take, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Ranked newest first within each application by id (the order they were created in), over the (application_id,
        // id) index. LINQ has no ROW_NUMBER; both databases do.
        var rows = await db.Database.SqlQuery<PrunableRow>($"""
            SELECT ranked.id AS "DeploymentId", ranked.keep AS "Keep"
            FROM (
                SELECT d.id, d.status, d.log_complete, d.logs_pruned_at, s.deployment_log_retention AS keep,
                       ROW_NUMBER() OVER (PARTITION BY d.application_id ORDER BY d.id DESC) AS newest
                FROM application_deployment_queues d
                JOIN applications a ON a.id = d.application_id
                JOIN servers s ON s.id = a.server_id
            ) ranked
            WHERE ranked.newest > ranked.keep AND ranked.logs_pruned_at IS NULL AND ranked.log_complete = {true}
              AND ranked.status IN ({DeploymentStatuses.Finished}, {DeploymentStatuses.Failed}, {DeploymentStatuses.CancelledByUser})
            ORDER BY ranked.id
            LIMIT {take}
            """)
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(r => new PrunableLog(r.DeploymentId, r.Keep));
    }

    public async Task<int> AppendNoticeAsync(long deploymentId, string notice, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var last = await db.DeploymentLogEntries.AsNoTracking().Where(e => e.DeploymentId == deploymentId)
            .OrderByDescending(e => e.Order).Select(e => new { e.Order, e.Output, e.Command }).FirstOrDefaultAsync(cancellationToken);
        if (last is { Command: null } && last.Output.StartsWith(LogRetention.NoticePrefix, StringComparison.Ordinal))
        {
            return last.Order;
        }

        // After the last line, never in place of one: a rendered log cached for (count, highest order) cannot match
        // the pruned log, and a reader that had the old lines sees the notice as the next one.
        var order = (last?.Order ?? 0) + 1;
        db.DeploymentLogEntries.Add(new DeploymentLogEntry
        {
            DeploymentId = deploymentId,
            Order = order,
            Type = LogLine.Stdout,
            Output = notice,
            Timestamp = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        return order;
    }

    public async Task<int> DeleteBeforeAsync(long deploymentId, int order, int batchSize, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.DeploymentLogEntries.Where(e => e.DeploymentId == deploymentId && e.Order < order)
            .OrderBy(e => e.Order).Take(batchSize).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task MarkPrunedAsync(long deploymentId, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Deployments.Where(d => d.Id == deploymentId).ExecuteUpdateAsync(s => s.SetProperty(d => d.LogsPrunedAt, now), cancellationToken);
    }

    private sealed record PrunableRow(long DeploymentId, int Keep);
}
