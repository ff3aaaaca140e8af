using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Cluster;
using Slipway.Infrastructure.Data.Postgres;
using Slipway.Infrastructure.Deployments;

namespace Slipway.Api.Tests.Deployments;

/// <summary>
/// A batch of log rows whose commit landed but whose reply was lost is inserted again by the execution strategy's
/// retry. The retry must succeed without writing the rows twice, so the batch counts as stored: live followers on this
/// instance are woken and served it from memory, and no write failure is reported for lines that are in the database.
/// </summary>
public sealed class LogInsertRetryTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncDisposable
{
    private ServiceProvider? _instance;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Flush_CommitLandedButItsReplyWasLost_RowsAreStoredOnce_AndTheBatchIsHeldForFollowers()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync("log-retry"));
        if (!TestDatabase.UsePostgres)
        {
            // SQLite commits to a local file: there is no reply to lose, and its execution strategy does not retry.
            await using var sqlite = factory.CreateDbContext();
            Assert.False(sqlite.Database.CreateExecutionStrategy().RetriesOnFailure);
            return;
        }

        var lostReply = new LoseFirstCommitReply();
        _instance = TestInstances.Create(
            factory.Database, "log-writing-instance", services => services.ConfigureDbContext<PostgresSlipwayDbContext>(o => o.AddInterceptors(lostReply)));
        await _instance.GetRequiredService<InstanceLease>().RegisterAsync(Ct);
        var store = _instance.GetRequiredService<IDeploymentLogStore>();
        var recent = _instance.GetRequiredService<DeploymentLogFeed>().Recent;

        await store.AppendAsync(deployment.Id, [LogLine.Info("one"), LogLine.Info("two"), LogLine.Error("three")], Ct);
        await store.FlushAsync(deployment.Id, Ct);

        Assert.True(lostReply.Failed, "The interceptor did not fail a commit: the test proved nothing.");
        await using (var db = factory.CreateDbContext())
        {
            var rows = await db.DeploymentLogEntries.AsNoTracking().Where(e => e.DeploymentId == deployment.Id).OrderBy(e => e.Order)
                .Select(e => new { e.Order, e.Output }).ToListAsync(Ct);
            Assert.Equal([new { Order = 1, Output = "one" }, new { Order = 2, Output = "two" }, new { Order = 3, Output = "three" }], rows);
        }

        var held = new List<DeploymentLogEntry>();
        Assert.True(recent.TryReadAfter(deployment.Id, 0, 10, held), "The stored batch is not held for followers: the store took the retry for a failure.");
        Assert.Equal(["one", "two", "three"], held.Select(e => e.Output));

        // The next batch follows on, numbered after the first.
        await store.AppendAsync(deployment.Id, [LogLine.Info("four")], Ct);
        await store.CompleteAsync(deployment.Id, Ct);
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(
                [1, 2, 3, 4],
                await db.DeploymentLogEntries.AsNoTracking().Where(e => e.DeploymentId == deployment.Id).OrderBy(e => e.Order).Select(e => e.Order).ToListAsync(Ct));
            Assert.True(await db.Deployments.AsNoTracking().Where(d => d.Id == deployment.Id).Select(d => d.LogComplete).SingleAsync(Ct));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_instance is not null)
        {
            await _instance.DisposeAsync();
        }
    }
}
