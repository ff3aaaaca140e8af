using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// Issue 10, item 8's fallback: a server whose only docker client cannot build with BuildKit (the newer client without
/// buildx on these machines, see <see cref="LegacyDockerClient"/>) builds with the legacy builder, and the log and
/// the server record say so; build secrets are then not passed, which the log says too.
/// </summary>
public sealed class LegacyBuilderTests
{
    [Fact]
    public async Task Deploy_OnAServerWhoseClientHasNoBuildKit_ProbesItAndBuildsWithTheLegacyBuilder()
    {
        await using var host = new EngineHost();
        var legacyClient = LegacyDockerClient.Find(host.DataDir);
        host.Settings["Slipway:Engine:DockerClients:0"] = legacyClient;
        await host.InitializeAsync();
        using var repository = await TestApps.DockerfileRepositoryAsync(TestApps.SlowDockerfile(0, "legacy"));
        var port = SlipwayBinary.FreeLoopbackPort();
        // Build secrets need BuildKit: without it the build-time variable is not passed at all, and the log says so.
        var app = await host.CreateDockerfileAppAsync(repository, port, body => body["use_build_secrets"] = true);
        await host.AddVariableAsync(app, "BUILD_TOKEN", "never-passed", buildtime: true, runtime: false);

        var deployed = await host.WaitAsync(await host.DeployAsync(app));

        Assert.True(EngineHost.Status(deployed) == "finished", EngineHost.VisibleLog(deployed));
        Assert.Equal("legacy\n", await EngineHost.FetchAsync(port));
        var log = EngineHost.VisibleLog(deployed);
        Assert.Contains($"Probed Docker on localhost: builds use the legacy builder ({legacyClient}; no BuildKit found)", log, StringComparison.Ordinal);
        Assert.Contains($"Builder: the legacy builder ({legacyClient}; no BuildKit found). Build network: none", log, StringComparison.Ordinal);
        var build = Assert.Single(EngineHost.FullLog(deployed).Split('\n'), l => l.StartsWith($"$ {legacyClient} build ", StringComparison.Ordinal) && l.Contains(" -t ", StringComparison.Ordinal));
        Assert.Contains(" --force-rm ", build, StringComparison.Ordinal);
        Assert.DoesNotContain("BUILD_TOKEN", build, StringComparison.Ordinal);
        Assert.Contains("use_build_secrets is on, but this server's Docker builds without BuildKit, which has no build secrets: the build-time variables (BUILD_TOKEN) are NOT passed", log, StringComparison.Ordinal);
        var (_, localhost) = await host.PlacementAsync();
        var settings = (await host.GetAsync($"/api/v1/servers/{localhost}"))["settings"]!;
        Assert.Equal((legacyClient, false), (settings["docker_client_path"]!.GetValue<string>(), settings["docker_buildkit"]!.GetValue<bool>()));
    }
}
