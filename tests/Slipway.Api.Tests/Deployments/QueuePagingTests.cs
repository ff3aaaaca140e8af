using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Infrastructure.Cluster;
using Slipway.Infrastructure.Engine;

namespace Slipway.Api.Tests.Deployments;

/// <summary>
/// The engine store reads the queue a page at a time (<see cref="EfEngineStore.QueuePageSize"/>, then growing), oldest first, and
/// stops once later arrivals cannot change the decision (<see cref="ClaimPolicy.MoreCouldStart"/>). On the suite's
/// database: a deployment that may start behind more than a page of blocked ones is still found and claimed, in order.
/// </summary>
public sealed class QueuePagingTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The engine is off on the suite's host; a claim needs a lease generation, so the first test registers one (the
    // tests of a class run one at a time).
    private async Task<IEngineStore> StoreAsync()
    {
        var lease = factory.Services.GetRequiredService<InstanceLease>();
        if (lease.Generation == 0)
        {
            await lease.RegisterAsync(Ct);
        }

        return ActivatorUtilities.CreateInstance<EfEngineStore>(factory.Services);
    }

    [Fact]
    public async Task Claim_BehindMoreThanAPageOfBlockedDeployments_FindsTheStartableOne()
    {
        var store = await StoreAsync();
        var tenant = await Tenant.CreateAsync(factory);
        var busy = await tenant.ApplicationAsync("busy");
        var other = await tenant.ApplicationAsync("other");
        await tenant.DeploymentAsync(busy, DeploymentStatus.InProgress);
        var blocked = new List<long>();
        for (var i = 0; i < EfEngineStore.QueuePageSize + 6; i++)
        {
            blocked.Add((await tenant.DeploymentAsync(busy)).Id);
        }

        var startable = await tenant.DeploymentAsync(other);

        var dispatch = await store.LoadQueueStateAsync(Ct);
        Assert.Contains(startable.Id, ClaimPolicy.SelectStartable(dispatch).Select(i => i.Id));

        Assert.Equal([startable.Id], await store.ClaimAsync(tenant.Server.Id, Ct));
        Assert.Equal(DeploymentStatus.InProgress, await StatusAsync(startable.Id));
        await using var db = factory.CreateDbContext();
        Assert.Equal(blocked.Count, await db.Deployments.CountAsync(d => blocked.Contains(d.Id) && d.Status == DeploymentStatus.Queued, Ct));
    }

    [Fact]
    public async Task Claim_FillsTheServerInArrivalOrder_AcrossPages()
    {
        var store = await StoreAsync();
        var tenant = await Tenant.CreateAsync(factory);
        var busy = await tenant.ApplicationAsync("busy");
        await tenant.DeploymentAsync(busy, DeploymentStatus.InProgress);
        for (var i = 0; i < EfEngineStore.QueuePageSize * 2; i++)
        {
            await tenant.DeploymentAsync(busy);
        }

        var first = await tenant.DeploymentAsync(await tenant.ApplicationAsync("first"));
        var second = await tenant.DeploymentAsync(await tenant.ApplicationAsync("second"));

        // concurrent_builds 2: one runs, so one slot, taken by the older of the two startable deployments.
        Assert.Equal([first.Id], await store.ClaimAsync(tenant.Server.Id, Ct));
        Assert.Equal(DeploymentStatus.Queued, await StatusAsync(second.Id));

        // The server is full now: nothing more starts, and the dispatch read no longer names it.
        Assert.Empty(await store.ClaimAsync(tenant.Server.Id, Ct));
        var dispatch = await store.LoadQueueStateAsync(Ct);
        Assert.DoesNotContain(ClaimPolicy.SelectStartable(dispatch), i => i.ServerId == tenant.Server.Id);
    }

    private async Task<DeploymentStatus> StatusAsync(long id)
    {
        await using var db = factory.CreateDbContext();
        return await db.Deployments.AsNoTracking().Where(d => d.Id == id).Select(d => d.Status).SingleAsync(Ct);
    }
}
