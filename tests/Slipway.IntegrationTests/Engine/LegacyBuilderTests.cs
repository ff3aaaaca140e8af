using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// Issue 10, item 8's fallback: a server whose only docker client cannot build with BuildKit (the newer client without
/// buildx on these machines, see <see cref="LegacyDockerEngineHost"/>) builds with the legacy builder, and the log and
/// the server record say so.
/// </summary>
public sealed class LegacyBuilderTests(LegacyDockerEngineHost host) : IClassFixture<LegacyDockerEngineHost>
{
    [Fact]
    public async Task Deploy_OnAServerWhoseClientHasNoBuildKit_ProbesItAndBuildsWithTheLegacyBuilder()
    {
        using var repository = await TestApps.DockerfileRepositoryAsync(TestApps.SlowDockerfile(0, "legacy"));
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateDockerfileAppAsync(repository, port);

        var deployed = await host.WaitAsync(await host.DeployAsync(app));

        Assert.True(EngineHost.Status(deployed) == "finished", EngineHost.VisibleLog(deployed));
        Assert.Equal("legacy\n", await EngineHost.FetchAsync(port));
        var log = EngineHost.VisibleLog(deployed);
        Assert.Contains($"Probed Docker on localhost: builds use the legacy builder ({host.LegacyClient}; no BuildKit found)", log, StringComparison.Ordinal);
        Assert.Contains($"Builder: the legacy builder ({host.LegacyClient}; no BuildKit found). Build network: none", log, StringComparison.Ordinal);
        var build = Assert.Single(EngineHost.FullLog(deployed).Split('\n'), l => l.StartsWith($"$ {host.LegacyClient} build ", StringComparison.Ordinal) && l.Contains(" -t ", StringComparison.Ordinal));
        Assert.Contains(" --force-rm ", build, StringComparison.Ordinal);
        var (_, localhost) = await host.PlacementAsync();
        var settings = (await host.GetAsync($"/api/v1/servers/{localhost}"))["settings"]!;
        Assert.Equal((host.LegacyClient, false), (settings["docker_client_path"]!.GetValue<string>(), settings["docker_buildkit"]!.GetValue<bool>()));
    }
}
