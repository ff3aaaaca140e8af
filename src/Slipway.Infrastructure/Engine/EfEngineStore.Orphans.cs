using Microsoft.EntityFrameworkCore;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Infrastructure.Cluster;

namespace Slipway.Infrastructure.Engine;

internal sealed partial class EfEngineStore
{
    public async Task<IReadOnlyList<OrphanedRun>> AdoptOrphansAsync(CancellationToken cancellationToken)
    {
        var generation = lease.Generation;
        if (generation == 0)
        {
            return [];
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = await DatabaseClock.ReadAsync(db, cancellationToken);
        // Dead: a lease that expired. Another instance's only once this one may take over (after a database outage
        // every lease looks expired until the live instances renew); this instance's own earlier generations always.
        var mayTakeOver = lease.MayTakeOver;
        var dead = await db.Instances.AsNoTracking()
            .Where(i => i.Generation != generation && i.LeaseExpiresMs < now && (mayTakeOver || i.Name == lease.Name))
            .ToDictionaryAsync(i => i.Generation, cancellationToken);
        var deadIds = dead.Keys.ToArray();
        var candidates = await db.Deployments.AsNoTracking()
            .Where(d => (d.InstanceGeneration == null && d.Status == DeploymentStatus.InProgress)
                || (d.InstanceGeneration != null && deadIds.Contains(d.InstanceGeneration.Value)
                    && (d.Status == DeploymentStatus.InProgress || !d.LogComplete)))
            .OrderBy(d => d.Id)
            .ToListAsync(cancellationToken);

        var localhost = await db.Servers.AsNoTracking().Where(s => s.IsLocalhost).Select(s => s.Id).ToListAsync(cancellationToken);
        var adopted = new List<OrphanedRun>();
        foreach (var deployment in candidates)
        {
            // The localhost server's leftovers can only be cleaned up on its machine.
            if (!lease.RunsLocalhost && localhost.Contains(deployment.ServerId))
            {
                continue;
            }

            var previous = deployment.InstanceGeneration;
            var changed = await db.Deployments
                .Where(d => d.Id == deployment.Id && d.InstanceGeneration == previous && d.Status == deployment.Status)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.InstanceGeneration, generation), cancellationToken);
            if (changed == 0)
            {
                continue; // Another instance adopted it first.
            }

            var owner = previous is { } g ? dead.GetValueOrDefault(g) : null;
            if (deployment.Status != DeploymentStatus.InProgress)
            {
                // Ended (cancelled) while its instance was dying: only its log needs closing.
                await db.Deployments.Where(d => d.Id == deployment.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.LogComplete, true), cancellationToken);
                // Its followers here may stop now (the other instances hear it from the trigger).
                feed.Notify(deployment.Id);
                continue;
            }

            deployment.InstanceGeneration = generation;
            if (await LoadWorkAsync(db, deployment, cancellationToken) is { } work)
            {
                adopted.Add(new OrphanedRun(work, Reason(owner), owner?.MachineId == lease.MachineId ? owner.WorkRoot : null));
            }
        }

        return adopted;
    }

    private string Reason(SlipwayInstance? owner) =>
        owner is null || owner.Name == lease.Name
            ? "Slipway restarted while this deployment was in progress; it was marked failed and its leftovers removed."
            : $"Slipway instance '{owner.Name}' (generation {owner.Generation}) stopped renewing its lease while this deployment was in progress "
                + $"(it was killed, frozen or cut off); instance '{lease.Name}' marked it failed and removed its leftovers.";
}
