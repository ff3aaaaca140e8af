using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Cluster;
using Slipway.Infrastructure.Data.Postgres;
using Slipway.Infrastructure.Engine;

namespace Slipway.Api.Tests.Deployments;

/// <summary>
/// A claim whose commit landed but whose reply was lost (PostgreSQL restarting, the network cut at that moment) is
/// retried by the execution strategy; the retry must hand back what the landed commit claimed, or those deployments
/// stay in progress with no run. The lost reply is played by an interceptor that fails the first commit after it
/// succeeded (<see cref="LoseFirstCommitReply"/>).
/// </summary>
public sealed class ClaimRetryTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncDisposable
{
    private ServiceProvider? _instance;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Claim_CommitLandedButItsReplyWasLost_TheRetryReturnsTheClaimedDeployment()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync("claim-retry"));
        if (!TestDatabase.UsePostgres)
        {
            // SQLite commits to a local file: there is no reply to lose, and its execution strategy does not retry.
            await using var sqlite = factory.CreateDbContext();
            Assert.False(sqlite.Database.CreateExecutionStrategy().RetriesOnFailure);
            return;
        }

        var lostReply = new LoseFirstCommitReply();
        var instance = CreateInstance(lostReply);
        await instance.GetRequiredService<InstanceLease>().RegisterAsync(Ct);
        var store = ActivatorUtilities.CreateInstance<EfEngineStore>(instance);

        var claimed = await store.ClaimAsync(tenant.Server.Id, Ct);

        Assert.True(lostReply.Failed, "The interceptor did not fail a commit: the test proved nothing.");
        Assert.Equal(new[] { deployment.Id }, claimed);
        await using var db = factory.CreateDbContext();
        var row = await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == deployment.Id, Ct);
        Assert.Equal(DeploymentStatus.InProgress, row.Status);
        Assert.Equal(instance.GetRequiredService<InstanceLease>().Generation, row.InstanceGeneration);
    }

    public async ValueTask DisposeAsync()
    {
        if (_instance is not null)
        {
            await _instance.DisposeAsync();
        }
    }

    /// <summary>An instance of its own on the factory's database, its contexts carrying <paramref name="interceptor"/>.</summary>
    private ServiceProvider CreateInstance(IInterceptor interceptor)
    {
        _instance = TestInstances.Create(
            factory.Database, "claiming-instance", services => services.ConfigureDbContext<PostgresSlipwayDbContext>(o => o.AddInterceptors(interceptor)));
        return _instance;
    }
}
