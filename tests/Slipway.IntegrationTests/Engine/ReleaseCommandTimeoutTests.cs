using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// Issue 14 item 1's timeout through the real Docker engine: a pre-deployment command that outlives the release command
/// timeout is killed inside the container, the deployment fails saying so, and nothing of the new container is left.
/// </summary>
public sealed class ReleaseCommandTimeoutTests
{
    [Fact]
    public async Task Deploy_PreCommandOutlivingTheTimeout_IsKilledAndTheDeploymentFailsSayingSo()
    {
        // Release commands time out after 3 s here (the default is 30 minutes).
        await using var host = new EngineHost { Settings = { ["Slipway:Engine:ReleaseCommandTimeout"] = "00:00:03" } };
        await host.InitializeAsync();
        using var repository = await GitRepository.CreateAsync();
        await repository.Write("index.html", "never served").CommitAsync("Slow release");
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateStaticSiteAsync(repository, port, body => body["pre_deployment_command"] = "echo release started; sleep 617");

        var failed = await host.WaitAsync(await host.DeployAsync(app), TimeSpan.FromSeconds(120));

        var log = EngineHost.VisibleLog(failed);
        Assert.True(EngineHost.Status(failed) == "failed", log);
        Assert.Contains("release started", log.Split('\n'));
        Assert.Contains("the release command timeout", log, StringComparison.Ordinal);
        Assert.Contains("3s", log, StringComparison.Ordinal);
        Assert.Empty(await Docker.ContainersAsync(app));
    }
}
