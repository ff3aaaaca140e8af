using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>A static site on this machine, end to end: deploy, redeploy, restart and roll back, served for real.</summary>
public sealed class StaticSiteDeploymentTests(EngineHost host) : IClassFixture<EngineHost>
{
    [Fact]
    public async Task Deploy_NewCommitsRestartAndRollback_ServeTheRightContentEachTime()
    {
        using var repository = await GitRepository.CreateAsync();
        var first = await repository.Write("index.html", "<h1>v1</h1>").CommitAsync("First version");
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateStaticSiteAsync(repository, port);

        var deployed = await host.WaitAsync(await host.DeployAsync(app));
        Assert.Equal("finished", deployed["status"]!.GetValue<string>());
        Assert.Equal(first, deployed["commit"]!.GetValue<string>());
        Assert.Equal("First version", deployed["commit_message"]!.GetValue<string>());
        Assert.Equal("<h1>v1</h1>", await EngineHost.FetchAsync(port));

        var second = await repository.Write("index.html", "<h1>v2</h1>").CommitAsync("Second version");
        var redeployed = await host.WaitAsync(await host.DeployAsync(app));
        Assert.Equal(("finished", second), (redeployed["status"]!.GetValue<string>(), redeployed["commit"]!.GetValue<string>()));
        Assert.Equal("<h1>v2</h1>", await EngineHost.FetchAsync(port));
        Assert.Contains("old container is stopped first", EngineHost.VisibleLog(redeployed), StringComparison.Ordinal);
        Assert.Single(await Docker.ContainersAsync(app));

        using var api = host.Api();
        var restart = await api.PostAsync($"/api/v1/applications/{app}/restart", null, TestContext.Current.CancellationToken);
        var restarted = await host.WaitAsync((await restart.Content.ReadFromJsonAsync<JsonNode>(TestContext.Current.CancellationToken))!["deployment_uuid"]!.GetValue<string>());
        Assert.Equal("finished", restarted["status"]!.GetValue<string>());
        Assert.Contains("(no rebuild)", EngineHost.VisibleLog(restarted), StringComparison.Ordinal);
        Assert.DoesNotContain("Building image", EngineHost.VisibleLog(restarted), StringComparison.Ordinal);
        Assert.Equal("<h1>v2</h1>", await EngineHost.FetchAsync(port));

        var images = await api.GetFromJsonAsync<JsonNode>($"/api/v1/applications/{app}/rollback-images", TestContext.Current.CancellationToken);
        Assert.Equal(second, images!["current"]!.GetValue<string>());
        Assert.Contains(first, images["images"]!.AsArray().Select(i => i!["tag"]!.GetValue<string>()));

        var rollback = await api.PostAsJsonAsync($"/api/v1/applications/{app}/rollback", new { commit = first }, TestContext.Current.CancellationToken);
        var rolledBack = await host.WaitAsync((await rollback.Content.ReadFromJsonAsync<JsonNode>(TestContext.Current.CancellationToken))!["deployment_uuid"]!.GetValue<string>());
        Assert.Equal(("finished", first, true), (rolledBack["status"]!.GetValue<string>(), rolledBack["commit"]!.GetValue<string>(), rolledBack["rollback"]!.GetValue<bool>()));
        Assert.Contains("Rolling back to the kept image", EngineHost.VisibleLog(rolledBack), StringComparison.Ordinal);
        Assert.Equal("<h1>v1</h1>", await EngineHost.FetchAsync(port));
    }

    [Fact]
    public async Task Deploy_FailingHealthCheck_KeepsTheOldContainerServing()
    {
        using var repository = await GitRepository.CreateAsync();
        await repository.Write("index.html", "<h1>good</h1>").CommitAsync("Good version");
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateStaticSiteAsync(repository, port);
        Assert.Equal("finished", (await host.WaitAsync(await host.DeployAsync(app)))["status"]!.GetValue<string>());

        await repository.Write("index.html", "<h1>broken</h1>").CommitAsync("Broken version");
        using var api = host.Api();
        var patched = await api.PatchAsJsonAsync($"/api/v1/applications/{app}", new { health_check_path = "/healthz", health_check_retries = 2 }, TestContext.Current.CancellationToken);
        Assert.True(patched.IsSuccessStatusCode);
        var failed = await host.WaitAsync(await host.DeployAsync(app));

        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        var log = EngineHost.VisibleLog(failed);
        Assert.Contains("New container is unhealthy", log, StringComparison.Ordinal);
        Assert.Contains("HTTP 404 from GET /healthz", log, StringComparison.Ordinal);
        Assert.Contains("keeps serving", log, StringComparison.Ordinal);
        Assert.Equal("<h1>good</h1>", await EngineHost.FetchAsync(port));
        var containers = await Docker.ContainersAsync(app);
        Assert.Equal("running", Assert.Single(containers).State);
    }
}
