using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Slipway.Core.Common;
using Slipway.Core.Webhooks;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing.Webhooks;

namespace Slipway.IntegrationTests.Proxy;

/// <summary>
/// Zero-downtime rollout through the real Caddy container on localhost: an application with a domain and no host
/// ports is redeployed (or rolled back) while a client keeps sending GETs through the proxy on keep-alive connections.
/// </summary>
public sealed class RolloutTests(ProxyHost host) : IClassFixture<ProxyHost>
{
    [Fact]
    public async Task Redeploy_UnderLoadThroughTheProxy_LosesNoRequestAndServesTheNewVersion()
    {
        var image = "slipway-test/rollout-" + PublicId.New()[..8];
        try
        {
            await RolloutLoad.BuildAsync(image, "v1");
            await RolloutLoad.BuildAsync(image, "v2");
            await RolloutAsync(image);
        }
        finally
        {
            await Docker.RunAsync("image", "rm", "-f", image + ":v1", image + ":v2");
        }
    }

    [Fact]
    public async Task Rollback_UnderLoadThroughTheProxy_ServesTheKeptImageWithoutAFailedRequest()
    {
        using var repository = await GitRepository.CreateAsync();
        var first = await repository.Write("index.html", "v1\n").CommitAsync("First version");
        var domain = ProxyApps.Host("rollback");
        await host.PatchProxyAsync(await host.LocalhostUuidAsync(), host.ProxyOn());
        var app = await host.CreateStaticSiteAsync(repository, 8080, b =>
        {
            b["domains"] = $"http://{domain}";
            b["ports_mappings"] = null;
            b["stop_grace_period"] = 1;
        });
        await DeployAsync(app);
        await repository.Write("index.html", "v2\n").CommitAsync("Second version");
        await DeployAsync(app);
        Assert.True(await Poll.UntilAsync(async () => await RolloutLoad.BodyAsync(host.HttpPort, domain) == "v2\n", TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        await using var load = RolloutLoad.Start(host.HttpPort, domain);
        using var api = host.Api();
        var rollback = await api.PostAsJsonAsync($"/api/v1/applications/{app}/rollback", new { commit = first }, TestContext.Current.CancellationToken);
        Assert.True(rollback.IsSuccessStatusCode, await rollback.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var deployment = await host.WaitAsync((await rollback.Content.ReadFromJsonAsync<JsonNode>(TestContext.Current.CancellationToken))!["deployment_uuid"]!.GetValue<string>());
        var log = EngineHost.VisibleLog(deployment);
        Assert.True(EngineHost.Status(deployment) == "finished", log);
        Assert.Contains("Rolling back to the kept image", log, StringComparison.Ordinal);
        Assert.Contains("runs beside the old one on the slipway network", log, StringComparison.Ordinal);
        Assert.Contains("Switched the proxy to the new container", log, StringComparison.Ordinal);

        var after = await RolloutLoad.BodyAsync(host.HttpPort, domain);
        var bodies = await load.StopAndCheckAsync();
        Assert.Equal("v1\n", after);
        Assert.Contains("v1\n", bodies);
        Assert.Single(await Docker.ContainersAsync(app));
    }

    [Fact]
    public async Task PreviewWithADomain_RedeployedUnderLoad_RollsOutBesideItsOldContainer()
    {
        const string secret = "whsec-preview-rollout-81d2";
        using var origin = await GitRepository.CreateBareAsync();
        using var work = await origin.CloneAsync();
        await work.Write("index.html", "main\n").CommitAsync("The site");
        await work.PushAsync("HEAD:refs/heads/main");
        var domain = ProxyApps.Host("preview");
        await host.PatchProxyAsync(await host.LocalhostUuidAsync(), host.ProxyOn());
        var app = await host.CreateStaticSiteAsync(origin, 8080, b =>
        {
            b["domains"] = $"http://{domain}";
            b["ports_mappings"] = null;
            b["stop_grace_period"] = 1;
        });
        await host.PatchApplicationAsync(app, new { manual_webhook_secret_github = secret, is_preview_deployments_enabled = true });
        var previewHost = "7." + domain;

        await work.GitAsync("checkout", "-q", "-b", "pricing");
        var opened = await work.Write("index.html", "pr v1\n").CommitAsync("Add a pricing page");
        await work.PushAsync("HEAD:refs/heads/pricing", "HEAD:refs/pull/7/head");
        var first = await host.WaitAsync(EngineHost.QueuedDeployment(await DeliverPullRequestAsync(origin, "opened", opened, secret)));
        Assert.True(EngineHost.Status(first) == "finished", EngineHost.VisibleLog(first));
        Assert.Contains("runs beside the old one on the slipway network", EngineHost.VisibleLog(first), StringComparison.Ordinal);
        Assert.True(await Poll.UntilAsync(async () => await RolloutLoad.BodyAsync(host.HttpPort, previewHost) == "pr v1\n", TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        await using var load = RolloutLoad.Start(host.HttpPort, previewHost);
        var updated = await work.Write("index.html", "pr v2\n").CommitAsync("Address review comments");
        await work.PushAsync("HEAD:refs/heads/pricing", "HEAD:refs/pull/7/head");
        var second = await host.WaitAsync(EngineHost.QueuedDeployment(await DeliverPullRequestAsync(origin, "synchronize", updated, secret)));
        var log = EngineHost.VisibleLog(second);
        Assert.True(EngineHost.Status(second) == "finished", log);
        Assert.Contains("Switched the proxy to the new container", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Removing the preview's previous container", log, StringComparison.Ordinal);

        var after = await RolloutLoad.BodyAsync(host.HttpPort, previewHost);
        var bodies = await load.StopAndCheckAsync();
        Assert.Equal("pr v2\n", after);
        Assert.Contains("pr v1\n", bodies);
        var container = Assert.Single(await Docker.ContainersAsync(app));
        Assert.StartsWith($"{app}-pr-7-", container.Name, StringComparison.Ordinal);
    }

    private Task<(int Status, JsonNode Body)> DeliverPullRequestAsync(GitRepository origin, string action, string head, string secret)
    {
        var payload = EngineHost.LocalPayload("github-pull_request", origin)
            .Set("action", action)
            .Set("pull_request.head.sha", head)
            .Set("pull_request.state", "open");
        return host.DeliverAsync(GitProviders.GitHub, "pull_request", payload, secret);
    }

    private async Task RolloutAsync(string image)
    {
        var server = await host.LocalhostUuidAsync();
        await host.PatchProxyAsync(server, host.ProxyOn());
        var domain = ProxyApps.Host("rollout");
        var app = await host.CreateDockerImageAppAsync(image, "v1", 8080, b =>
        {
            b["domains"] = $"http://{domain}";
            // No host ports: the proxy reaches the container at a 127.0.0.1 port Slipway picks, so old and new run side by side.
            b["ports_mappings"] = null;
        });
        try
        {
            var first = await DeployAsync(app);
            Assert.True(first.Contains("runs beside the old one on the slipway network", StringComparison.Ordinal), first);
            Assert.True(await Poll.UntilAsync(async () => await RolloutLoad.BodyAsync(host.HttpPort, domain) == "v1\n", TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

            await using var load = RolloutLoad.Start(host.HttpPort, domain);
            await host.PatchApplicationAsync(app, new { docker_registry_image_tag = "v2" });
            var second = await DeployAsync(app);
            Assert.Contains("Switched the proxy to the new container", second, StringComparison.Ordinal);
            Assert.Contains("The old container has no request in flight", second, StringComparison.Ordinal);

            // Once the deployment has finished, every answer is the new version.
            var after = await RolloutLoad.BodyAsync(host.HttpPort, domain);
            var bodies = await load.StopAndCheckAsync();
            Assert.Equal("v2\n", after);
            Assert.Contains("v1\n", bodies);
            Assert.Contains("v2\n", bodies);
            Assert.Single(await Docker.ContainersAsync(app));
        }
        finally
        {
            await Docker.RemoveApplicationAsync(app);
        }
    }

    private async Task<string> DeployAsync(string application)
    {
        var deployment = await host.WaitAsync(await host.DeployAsync(application));
        var log = EngineHost.VisibleLog(deployment);
        Assert.True(EngineHost.Status(deployment) == "finished", log);
        return log;
    }
}
