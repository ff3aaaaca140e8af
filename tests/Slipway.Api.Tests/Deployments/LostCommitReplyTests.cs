using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Cluster;
using Slipway.Infrastructure.Data.Postgres;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Engine;

namespace Slipway.Api.Tests.Deployments;

/// <summary>
/// Writes whose commit landed but whose reply was lost (PostgreSQL restarting, the network cut at that moment) are
/// retried by the execution strategy; each retry must leave things as the landed commit did. The lost reply is played
/// by <see cref="LoseFirstCommitReply"/> on the contexts of an instance of the test's own.
/// </summary>
public sealed class LostCommitReplyTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncDisposable
{
    private readonly LoseFirstCommitReply _lostReply = new();
    private ServiceProvider? _instance;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The claim's retry hands back what the landed commit claimed, or those deployments stay in progress with no run.</summary>
    [Fact]
    public async Task Claim_TheRetryReturnsTheClaimedDeployment()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync("claim-retry"));
        if (await StartInstanceAsync("claiming-instance") is not { } instance)
        {
            return;
        }

        var claimed = await ActivatorUtilities.CreateInstance<EfEngineStore>(instance).ClaimAsync(tenant.Server.Id, Ct);

        Assert.True(_lostReply.Failed, "The interceptor did not fail a commit: the test proved nothing.");
        Assert.Equal(new[] { deployment.Id }, claimed);
        await using var db = factory.CreateDbContext();
        var row = await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == deployment.Id, Ct);
        Assert.Equal(DeploymentStatus.InProgress, row.Status);
        Assert.Equal(instance.GetRequiredService<InstanceLease>().Generation, row.InstanceGeneration);
    }

    /// <summary>
    /// A batch of log rows inserted again is stored once and counts as stored: live followers on this instance are
    /// woken and served it from memory, and no write failure is reported for lines that are in the database.
    /// </summary>
    [Fact]
    public async Task LogFlush_RowsAreStoredOnce_AndTheBatchIsHeldForFollowers()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync("log-retry"));
        if (await StartInstanceAsync("log-writing-instance") is not { } instance)
        {
            return;
        }

        var store = instance.GetRequiredService<IDeploymentLogStore>();
        await store.AppendAsync(deployment.Id, [LogLine.Info("one"), LogLine.Info("two"), LogLine.Error("three")], Ct);
        await store.FlushAsync(deployment.Id, Ct);

        Assert.True(_lostReply.Failed, "The interceptor did not fail a commit: the test proved nothing.");
        Assert.Equal([(1, "one"), (2, "two"), (3, "three")], await StoredAsync(deployment.Id));
        var held = new List<DeploymentLogEntry>();
        Assert.True(
            instance.GetRequiredService<DeploymentLogFeed>().Recent.TryReadAfter(deployment.Id, 0, 10, held),
            "The stored batch is not held for followers: the store took the retry for a failure.");
        Assert.Equal(["one", "two", "three"], held.Select(e => e.Output));

        // The next batch follows on, numbered after the first.
        await store.AppendAsync(deployment.Id, [LogLine.Info("four")], Ct);
        await store.CompleteAsync(deployment.Id, Ct);
        Assert.Equal([(1, "one"), (2, "two"), (3, "three"), (4, "four")], await StoredAsync(deployment.Id));
        await using var db = factory.CreateDbContext();
        Assert.True(await db.Deployments.AsNoTracking().Where(d => d.Id == deployment.Id).Select(d => d.LogComplete).SingleAsync(Ct));
    }

    public async ValueTask DisposeAsync()
    {
        if (_instance is not null)
        {
            await _instance.DisposeAsync();
        }
    }

    /// <summary>
    /// On PostgreSQL, an instance of its own on the factory's database, its lease registered and its contexts losing
    /// the first commit's reply. On SQLite, null: it commits to a local file, so there is no reply to lose, and its
    /// execution strategy does not retry (checked here).
    /// </summary>
    private async Task<ServiceProvider?> StartInstanceAsync(string name)
    {
        if (!TestDatabase.UsePostgres)
        {
            await using var sqlite = factory.CreateDbContext();
            Assert.False(sqlite.Database.CreateExecutionStrategy().RetriesOnFailure);
            return null;
        }

        _instance = TestInstances.Create(
            factory.Database, name, services => services.ConfigureDbContext<PostgresSlipwayDbContext>(o => o.AddInterceptors(_lostReply)));
        await _instance.GetRequiredService<InstanceLease>().RegisterAsync(Ct);
        return _instance;
    }

    private async Task<List<(int Order, string Output)>> StoredAsync(long deploymentId)
    {
        await using var db = factory.CreateDbContext();
        return (await db.DeploymentLogEntries.AsNoTracking().Where(e => e.DeploymentId == deploymentId).OrderBy(e => e.Order)
            .Select(e => new { e.Order, e.Output }).ToListAsync(Ct)).Select(e => (e.Order, e.Output)).ToList();
    }
}
