using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// Issue 10, item 1 through the real Docker engine (which runs with <c>--bridge=none</c>, so there is no default
/// bridge): applications join the server's <c>slipway</c> network and publish their <c>ports_mappings</c> from it;
/// <c>--network host</c> is a per-server opt-in, refused at the API without it and by the engine's settings check
/// when it is turned off under an application that uses it; <c>--network bridge</c>, which this engine cannot give,
/// fails the settings check once the probe has recorded that. The <c>slipway</c> network is shared by every test run
/// on the machine: it is never removed here.
/// </summary>
public sealed class NetworkIsolationTests(EngineHost host) : IClassFixture<EngineHost>
{
    [Fact]
    public async Task Deploy_WithoutHostNetwork_JoinsTheSlipwayNetworkAndServesItsPublishedPort()
    {
        using var repository = await GitRepository.CreateAsync();
        await repository.Write("index.html", "<h1>on the slipway network</h1>").CommitAsync("A page");
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateStaticSiteAsync(repository, port);

        var deployed = await host.WaitAsync(await host.DeployAsync(app));

        Assert.True(EngineHost.Status(deployed) == "finished", EngineHost.VisibleLog(deployed));
        Assert.Equal("<h1>on the slipway network</h1>", await EngineHost.FetchAsync(port));
        var container = Assert.Single(await Docker.ContainersAsync(app)).Name;
        var (_, network) = await Docker.RunAsync("inspect", "--format", "{{.HostConfig.NetworkMode}} {{range $name, $_ := .NetworkSettings.Networks}}{{$name}}{{end}}", container);
        Assert.Equal("slipway slipway", network.Trim());
        var (_, labels) = await Docker.RunAsync("network", "inspect", "--format", "{{.Driver}} {{index .Labels \"slipway.managed\"}}", "slipway");
        Assert.Equal("bridge true", labels.Trim());
        // The health check addressed the new container itself, at its address on the slipway network.
        Assert.Contains("Healthcheck status: \"healthy\"", EngineHost.VisibleLog(deployed), StringComparison.Ordinal);

        // The probe recorded that this engine has no default bridge: a stored --network bridge (the API refuses it now)
        // fails the settings check before anything runs, instead of failing at docker run after the build.
        await host.UpdateDatabaseAsync(db => db.Applications.Where(a => a.Uuid == app)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.CustomDockerRunOptions, "--network bridge"), TestContext.Current.CancellationToken));
        var refused = await host.WaitAsync(await host.DeployAsync(app, force: true));

        Assert.Equal("failed", EngineHost.Status(refused));
        Assert.Contains("--network bridge needs Docker's default bridge network", EngineHost.VisibleLog(refused), StringComparison.Ordinal);
        Assert.DoesNotContain(EngineHost.FullLog(refused).Split('\n'), l => l.StartsWith("$ ", StringComparison.Ordinal));
        Assert.Equal((container, "running"), Assert.Single(await Docker.ContainersAsync(app)));
    }

    [Fact]
    public async Task HostNetwork_RefusedUntilTheServerAllowsIt_AndAStoredOneFailsWhenItIsTurnedOffAgain()
    {
        var (_, localhost) = await host.PlacementAsync();
        using var repository = await GitRepository.CreateAsync();
        await repository.Write("index.html", "<h1>host</h1>").CommitAsync("A page");
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateStaticSiteAsync(repository, port);
        using var api = host.Api();

        var refused = await api.PatchAsJsonAsync($"/api/v1/applications/{app}", new { custom_docker_run_options = "--network host", ports_mappings = (string?)null }, TestContext.Current.CancellationToken);
        Assert.Equal(422, (int)refused.StatusCode);
        var message = (await refused.Content.ReadFromJsonAsync<JsonNode>(TestContext.Current.CancellationToken))!["errors"]!["custom_docker_run_options"]![0]!.GetValue<string>();
        Assert.Contains("allow_host_network", message, StringComparison.Ordinal);

        await SetAllowHostNetworkAsync(api, localhost, true);
        await host.PatchApplicationAsync(app, new { custom_docker_run_options = "--network host", ports_mappings = (string?)null });
        var onHost = await host.WaitAsync(await host.DeployAsync(app));
        Assert.True(EngineHost.Status(onHost) == "finished", EngineHost.VisibleLog(onHost));
        var running = Assert.Single(await Docker.ContainersAsync(app)).Name;
        var (_, mode) = await Docker.RunAsync("inspect", "--format", "{{.HostConfig.NetworkMode}}", running);
        Assert.Equal("host", mode.Trim());
        Assert.Equal("<h1>host</h1>", await EngineHost.FetchAsync(port));
        Assert.Contains("Build network: host (the server allows host networking)", EngineHost.VisibleLog(onHost), StringComparison.Ordinal);

        await SetAllowHostNetworkAsync(api, localhost, false);
        var failed = await host.WaitAsync(await host.DeployAsync(app, force: true));

        Assert.Equal("failed", EngineHost.Status(failed));
        var log = EngineHost.VisibleLog(failed);
        Assert.Contains("--network host needs a server with allow_host_network", log, StringComparison.Ordinal);
        Assert.Contains("nothing was run.", log, StringComparison.Ordinal);
        Assert.DoesNotContain(EngineHost.FullLog(failed).Split('\n'), l => l.StartsWith("$ ", StringComparison.Ordinal));
        Assert.Equal((running, "running"), Assert.Single(await Docker.ContainersAsync(app)));
    }

    private static async Task SetAllowHostNetworkAsync(HttpClient api, string server, bool allow)
    {
        var response = await api.PatchAsJsonAsync($"/api/v1/servers/{server}", new { allow_host_network = allow }, TestContext.Current.CancellationToken);
        var body = (await response.Content.ReadFromJsonAsync<JsonNode>(TestContext.Current.CancellationToken))!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        Assert.Equal(allow, body["allow_host_network"]!.GetValue<bool>());
    }
}
