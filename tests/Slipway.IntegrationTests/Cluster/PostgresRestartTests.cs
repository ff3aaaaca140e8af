using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Cluster;

/// <summary>
/// Two real <c>slipway serve</c> processes on a PostgreSQL server of this test's own, which is stopped and started
/// again while a build runs: an outage shorter than the lease (here 20 s) fails nothing and moves nothing.
/// </summary>
public sealed class PostgresRestartTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Serve_PostgresRestartShorterThanTheLease_FailsNothing()
    {
        await using var postgres = await RestartablePostgres.StartAsync();
        await using var cluster = await SlipwayCluster.StartAsync(2, postgres.AdminConnectionString, Lease, TimeSpan.FromSeconds(1));
        using var api = cluster.Api(0);
        var (project, server) = await cluster.PlacementAsync(api, 2);
        var marker = "pg-restart-" + Guid.NewGuid().ToString("N")[..8];
        using var repository = await TestApps.DockerfileRepositoryAsync(TestApps.SlowDockerfile(6, marker));
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await cluster.CreateAppAsync(api, project, server, repository, port, "dockerfile");
        var deployment = await SlipwayCluster.DeployAsync(api, app);
        Assert.True(
            await Poll.UntilAsync(async () => await cluster.OwnerAsync(deployment) is not null, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken),
            $"The deployment was never claimed.\n{cluster.Transcripts()}");
        var generations = await GenerationsAsync(cluster);

        // Down for 3 s while the build runs: its log lines, the heartbeats and the run's fence checks meet no database.
        await postgres.RestartAsync(TimeSpan.FromSeconds(3));

        using var other = cluster.Api(1);
        Assert.Equal("finished", await SlipwayCluster.WaitForStatusAsync(other, deployment, TimeSpan.FromSeconds(120), "finished", "failed", "cancelled-by-user"));
        Assert.Equal(marker, (await EngineHost.FetchAsync(port))?.Trim());
        var log = SlipwayCluster.LogLines(await SlipwayCluster.GetAsync(other, deployment));
        Assert.Single(log, l => l.StartsWith("Starting deployment ", StringComparison.Ordinal));
        // Log lines stored during the outage are neither lost nor written twice by a retry.
        Assert.Equal(1, EngineHost.OutputLineCount(string.Join('\n', log), $"{marker}: build started"));

        // Nobody lost a lease or took anything over, and the instances still work after the outage.
        Assert.Equal(generations, await GenerationsAsync(cluster));
        Assert.DoesNotContain(cluster.Instances, i => i.Printed("lost its lease") || i.Printed("stopped renewing its lease"));
        var again = await SlipwayCluster.DeployAsync(other, app);
        Assert.Equal("finished", await SlipwayCluster.WaitForStatusAsync(api, again, TimeSpan.FromSeconds(120), "finished", "failed"));
    }

    private static async Task<List<string>> GenerationsAsync(SlipwayCluster cluster) => await cluster.QueryAsync(
        "SELECT name || ':' || generation FROM slipway_instances WHERE lease_expires_ms > (extract(epoch from clock_timestamp()) * 1000)::bigint ORDER BY name",
        r => r.GetString(0));
}
