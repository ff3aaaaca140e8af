using Microsoft.EntityFrameworkCore;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Deployments;

internal sealed class EfDeploymentStore(IDbContextFactory<SlipwayDbContext> contexts, DeploymentLogFeed feed) : IDeploymentStore
{
    public async Task<Deployment?> FindActiveDuplicateAsync(long applicationId, string commit, int pullRequestId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Deployments.AsNoTracking()
            .Where(d => d.ApplicationId == applicationId && d.Commit == commit && d.PullRequestId == pullRequestId
                && (d.Status == DeploymentStatus.Queued || d.Status == DeploymentStatus.InProgress))
            .OrderBy(d => d.Id)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<int> CountQueuedAsync(long serverId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Deployments.CountAsync(d => d.ServerId == serverId && d.Status == DeploymentStatus.Queued, cancellationToken);
    }

    public async Task AddAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<bool> TryTransitionAsync(long deploymentId, IReadOnlyCollection<DeploymentStatus> from, DeploymentStatus to, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var terminal = to.IsTerminal();
        var changed = await db.Deployments
            .Where(d => d.Id == deploymentId && from.Contains(d.Status))
            .ExecuteUpdateAsync(
                s => s.SetProperty(d => d.Status, to)
                    .SetProperty(d => d.UpdatedAt, now)
                    .SetProperty(d => d.FinishedAt, d => terminal ? now : d.FinishedAt),
                cancellationToken);
        if (changed == 1)
        {
            feed.Notify(deploymentId);
        }

        return changed == 1;
    }
}
