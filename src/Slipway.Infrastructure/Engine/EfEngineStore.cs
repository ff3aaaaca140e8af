using Microsoft.EntityFrameworkCore;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Core.Secrets;
using Slipway.Core.Servers;
using Slipway.Infrastructure.Cluster;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Deployments;

namespace Slipway.Infrastructure.Engine;

/// <summary>
/// The engine's reads and writes, one short-lived context each. A run's writes are conditional on the row still
/// naming this instance's lease generation (<see cref="Deployment.InstanceGeneration"/>): a run that lost its
/// deployment to another instance changes nothing.
/// </summary>
internal sealed partial class EfEngineStore(
    IDbContextFactory<SlipwayDbContext> contexts,
    ISecretProtector protector,
    DeploymentLogFeed feed,
    InstanceLease lease,
    TimeProvider clock,
    DeferredAnnouncements? announcements = null) : IEngineStore
{
    public async Task<DeploymentWork?> LoadWorkAsync(long deploymentId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deployment = await db.Deployments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deploymentId, cancellationToken);
        return deployment is null ? null : await LoadWorkAsync(db, deployment, cancellationToken);
    }

    private async Task<DeploymentWork?> LoadWorkAsync(SlipwayDbContext db, Deployment deployment, CancellationToken cancellationToken)
    {
        var application = await db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.Id == deployment.ApplicationId, cancellationToken);
        var server = await db.Servers.AsNoTracking().FirstOrDefaultAsync(s => s.Id == deployment.ServerId, cancellationToken);
        if (application is null || server is null)
        {
            return null;
        }

        // A preview gets its own set only, without locked values (DeploymentVariables); production gets production's.
        var preview = deployment.PullRequestId != 0;
        var stored = await db.EnvironmentVariables.AsNoTracking()
            .Where(v => v.ApplicationId == application.Id && v.IsPreview == preview)
            .ToListAsync(cancellationToken);
        var (given, lockedLeftOut) = DeploymentVariables.Choose(stored, preview, application.IsEnvSortingEnabled);
        var variables = given
            .Select(v => new ResolvedVariable(v.Key, protector.Unprotect(v.ProtectedValue), v.IsBuildtime, v.IsRuntime, v.IsShownOnce, v.IsPreview))
            .ToList();
        string? deployKey = null;
        if (application.PrivateKeyId is { } keyId)
        {
            var key = await db.PrivateKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == keyId, cancellationToken);
            deployKey = key is null ? null : protector.Unprotect(key.ProtectedPrivateKey);
        }

        PreviewTarget? previewTarget = null;
        if (preview)
        {
            previewTarget = await db.ApplicationPreviews.AsNoTracking()
                .Where(p => p.ApplicationId == application.Id && p.PullRequestId == deployment.PullRequestId)
                .Select(p => new PreviewTarget(p.Port, p.Fqdn, p.SourceRef, p.ProxyUpstreamPort, p.ProxyDrainingPort))
                .FirstOrDefaultAsync(cancellationToken);
        }

        return new DeploymentWork(deployment, application, server, variables, deployKey, previewTarget) { LockedLeftOut = lockedLeftOut };
    }

    public async Task SetCommitAsync(long deploymentId, string commit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var changed = await WriteOwnRowAsync(
            deploymentId, () => Owned(db, deploymentId).ExecuteUpdateAsync(s => s.SetProperty(d => d.Commit, commit), cancellationToken));
        Notify(deploymentId, changed);
    }

    public async Task SetCommitMessageAsync(long applicationId, string commit, string message, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Coolify records the message on every deployment of the commit; only those without it change, so redeploying
        // one commit for the thousandth time does not rewrite (and announce to every instance) a thousand rows. (EF's
        // C# null semantics make != match a NULL message too.)
        await db.Deployments.Where(d => d.ApplicationId == applicationId && d.Commit == commit && d.CommitMessage != message)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.CommitMessage, message), cancellationToken);
    }

    public async Task<bool> PinGitHostKeysAsync(long applicationId, string knownHosts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Only where none is pinned: of two first deployments racing, the first keeps its key.
        return await db.Applications.Where(a => a.Id == applicationId && a.GitHostKeys == null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.GitHostKeys, knownHosts), cancellationToken) == 1;
    }

    public async Task SetProcessIdAsync(long deploymentId, string? processId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await WriteOwnRowAsync(
            deploymentId, () => Owned(db, deploymentId).ExecuteUpdateAsync(s => s.SetProperty(d => d.CurrentProcessId, processId), cancellationToken));
    }

    public async Task<bool> CompleteAsync(long deploymentId, DeploymentStatus status, DateTime now, bool logComplete, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var changed = await WriteOwnRowAsync(deploymentId, () => Owned(db, deploymentId)
            .Where(d => d.Status == DeploymentStatus.InProgress)
            .ExecuteUpdateAsync(
                s => s.SetProperty(d => d.Status, status).SetProperty(d => d.FinishedAt, now).SetProperty(d => d.UpdatedAt, now)
                    .SetProperty(d => d.LogComplete, d => d.LogComplete || logComplete),
                cancellationToken));
        Notify(deploymentId, changed);
        return changed == 1;
    }

    public async Task<DeploymentStatus?> GetStatusAsync(long deploymentId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Deployments.Where(d => d.Id == deploymentId).Select(d => (DeploymentStatus?)d.Status).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task SetApplicationStatusAsync(long applicationId, string status, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Only when it differs: an application deployed again is already running, and rewriting the row anyway left a
        // dead row version behind every finished deployment (500 per drain in bench/ha.sh) for vacuum to clean.
        await db.Applications.Where(a => a.Id == applicationId && a.Status != status)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, status), cancellationToken);
    }

    public async Task SetProxyUpstreamAsync(long applicationId, int pullRequestId, int? port, int? drainingPort, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (pullRequestId != 0)
        {
            await db.ApplicationPreviews.Where(p => p.ApplicationId == applicationId && p.PullRequestId == pullRequestId)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.ProxyUpstreamPort, port).SetProperty(p => p.ProxyDrainingPort, drainingPort), cancellationToken);
            return;
        }

        await db.Applications.Where(a => a.Id == applicationId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ProxyUpstreamPort, port).SetProperty(a => a.ProxyDrainingPort, drainingPort), cancellationToken);
    }

    public async Task<Server?> GetServerAsync(long serverId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Servers.AsNoTracking().FirstOrDefaultAsync(s => s.Id == serverId, cancellationToken);
    }

    public async Task SaveDockerProbeAsync(long serverId, DockerProbe probe, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Servers.Where(s => s.Id == serverId).ExecuteUpdateAsync(
            s => s.SetProperty(x => x.DockerClientPath, probe.ClientPath)
                .SetProperty(x => x.DockerBuildKit, probe.BuildKit)
                .SetProperty(x => x.DockerDefaultBridge, probe.DefaultBridge)
                .SetProperty(x => x.DockerProbedAt, probe.ProbedAt),
            cancellationToken);
    }

    /// <summary>The deployment, while it is still this instance's (any row when the instance has no lease: tests, tools).</summary>
    private IQueryable<Deployment> Owned(SlipwayDbContext db, long deploymentId)
    {
        var generation = lease.Generation;
        return generation == 0
            ? db.Deployments.Where(d => d.Id == deploymentId)
            : db.Deployments.Where(d => d.Id == deploymentId && (d.InstanceGeneration == generation || d.InstanceGeneration == null));
    }

    /// <summary>
    /// A write of the run's own row, which this instance announces to the others itself, batched
    /// (<see cref="DeferredAnnouncements"/>; on PostgreSQL). Announced whatever it returns: a statement retried after its
    /// commit was lost in transit reports no row for a write that happened, and a spare announcement costs nothing.
    /// </summary>
    private async Task<int> WriteOwnRowAsync(long deploymentId, Func<Task<int>> write)
    {
        try
        {
            using (announcements?.Defer())
            {
                return await write();
            }
        }
        finally
        {
            announcements?.RowChanged(deploymentId);
        }
    }

    private void Notify(long deploymentId, int changed)
    {
        if (changed > 0)
        {
            feed.Notify(deploymentId);
        }
    }
}
