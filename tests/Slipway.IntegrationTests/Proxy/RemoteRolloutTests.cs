using Slipway.Core.Common;
using Slipway.IntegrationTests.Fixtures;

namespace Slipway.IntegrationTests.Proxy;

/// <summary>
/// Zero-downtime rollout on a server reached over SSH (the test sshd on 127.0.0.1): the container starts, the health
/// check from the proxy's side, the switch and the drain (Caddy's in-flight counts through the forwarded admin port)
/// all go through the server's SSH connection. Its own host, so its proxy container is not the localhost one's.
/// </summary>
public sealed class RemoteRolloutTests(ProxyHost host) : IClassFixture<ProxyHost>
{
    [Fact]
    public async Task Redeploy_OnServerOverSsh_LosesNoRequestThroughTheProxy()
    {
        var image = "slipway-test/rollout-ssh-" + PublicId.New()[..8];
        var server = await host.CreateSshServerAsync();
        var domain = ProxyApps.Host("ssh-rollout");
        string? app = null;
        try
        {
            await RolloutLoad.BuildAsync(image, "v1");
            await RolloutLoad.BuildAsync(image, "v2");
            var on = await host.PatchProxyAsync(server, host.ProxyOn());
            await host.WaitForProxyAsync(server, p => p["status"]?.GetValue<string>() == "running" && ProxyHost.Reconciled(p, ProxyHost.Generation(on) + 1, "pushed", "unchanged"), "running over SSH");
            app = await host.CreateDockerImageAppAsync(image, "v1", 8080, b =>
            {
                b["server_uuid"] = server;
                b["domains"] = $"http://{domain}";
                b["ports_mappings"] = null;
            });
            var first = await DeployAsync(app);
            Assert.Contains("runs beside the old one on the slipway network", first, StringComparison.Ordinal);
            Assert.True(await Poll.UntilAsync(async () => await RolloutLoad.BodyAsync(host.HttpPort, domain) == "v1\n", TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

            await using var load = RolloutLoad.Start(host.HttpPort, domain);
            await host.PatchApplicationAsync(app, new { docker_registry_image_tag = "v2" });
            var second = await DeployAsync(app);
            Assert.Contains("where the proxy reaches it", second, StringComparison.Ordinal);
            Assert.Contains("Switched the proxy to the new container", second, StringComparison.Ordinal);
            Assert.Contains("The old container has no request in flight", second, StringComparison.Ordinal);

            var after = await RolloutLoad.BodyAsync(host.HttpPort, domain);
            var bodies = await load.StopAndCheckAsync();
            Assert.Equal("v2\n", after);
            Assert.Contains("v1\n", bodies);
            Assert.Single(await Docker.ContainersAsync(app));
        }
        finally
        {
            if (app is not null)
            {
                await Docker.RemoveApplicationAsync(app);
            }

            await Docker.RunAsync("image", "rm", "-f", image + ":v1", image + ":v2");
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
