using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>The server's per-deployment timeout (<c>dynamic_timeout</c>) fails a slow run, cleans up and frees its slot.</summary>
public sealed class DeploymentTimeoutTests(EngineHost host) : IClassFixture<EngineHost>
{
    [Fact]
    public async Task Deploy_SlowerThanDynamicTimeout_FailsAndFreesTheSlot()
    {
        // The API refuses a timeout under 60 s; a test cannot wait that long, so the row is changed directly.
        var (_, localhost) = await host.PlacementAsync();
        await host.SetServerLimitsAsync(localhost, concurrentBuilds: 1, dynamicTimeout: 5);
        var marker = "timeout-" + Guid.NewGuid().ToString("N");
        using var slowRepository = await TestApps.DockerfileRepositoryAsync(TestApps.SlowDockerfile(120, marker));
        var slow = await host.CreateDockerfileAppAsync(slowRepository, SlipwayBinary.FreeLoopbackPort());
        using var nextRepository = await GitRepository.CreateAsync();
        await nextRepository.Write("index.html", "after the timeout").CommitAsync("Next app");
        var nextPort = SlipwayBinary.FreeLoopbackPort();
        var next = await host.CreateStaticSiteAsync(nextRepository, nextPort);

        var started = DateTime.UtcNow;
        var timingOut = await host.DeployAsync(slow);
        await host.WaitUntilAsync(timingOut, d => EngineHost.Status(d) != "queued", "the slow deployment to start");
        // The timeout is taken when a deployment starts: the next one gets the default again.
        await host.SetServerLimitsAsync(localhost, dynamicTimeout: 3600);
        var queued = await host.DeployAsync(next);

        var failed = await host.WaitAsync(timingOut, TimeSpan.FromSeconds(60));
        var elapsed = DateTime.UtcNow - started;
        Assert.Equal("failed", EngineHost.Status(failed));
        var log = EngineHost.VisibleLog(failed);
        Assert.True(log.Contains("Deployment timed out (the server's dynamic_timeout)", StringComparison.Ordinal), log);
        Assert.True(elapsed < TimeSpan.FromSeconds(45), $"The 5 s timeout took {elapsed.TotalSeconds:0} s to fail the deployment.");
        Assert.DoesNotContain("Deployment finished", log, StringComparison.Ordinal);

        var nextDone = await host.WaitAsync(queued);
        Assert.Equal("finished", EngineHost.Status(nextDone));
        Assert.Equal("after the timeout", await EngineHost.FetchAsync(nextPort));
        Assert.True(
            await Poll.UntilAsync(async () => !(await CancelDeploymentTests.BuildContainersAsync(marker)).Any(), TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken),
            "The timed-out build left its build container.");
        Assert.Empty(await Docker.ContainersAsync(slow));
        var row = Assert.Single(await host.DeploymentRowsAsync(slow));
        Assert.Null(row.CurrentProcessId);
        Assert.NotNull(row.FinishedAt);
    }
}
