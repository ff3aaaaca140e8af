using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Slipway.Core.Common;
using Slipway.Core.Proxy;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Proxy;

/// <summary>
/// The edge proxy on the localhost server, through the real Caddy container (the image test.sh builds from Debian's
/// caddy), its admin API on 127.0.0.1, and pebble for certificates. Every request goes to 127.0.0.1 with the
/// domain as Host (and SNI), as <c>curl --resolve</c> would.
/// </summary>
public sealed class LocalProxyTests(ProxyHost host, Pebble pebble) : IClassFixture<ProxyHost>, IClassFixture<Pebble>
{
    [Fact]
    public async Task Proxy_OnLocalhost_RoutesDomainsExactlyAnswersUnknownHostsAndPushesOnlyChanges()
    {
        var server = await host.LocalhostUuidAsync();
        await using var alpha = await Upstream.StartAsync("alpha");
        await using var beta = await Upstream.StartAsync("beta");
        var alphaHost = ProxyApps.Host("alpha");
        var betaHost = ProxyApps.Host("beta");
        var alphaApp = await ProxyApps.CreateAsync(host, server, alpha, $"http://{alphaHost},http://{alphaHost}/api");
        // The URL's port is the upstream's (Coolify's rule); ports_exposes is not used for this domain.
        await ProxyApps.CreateAsync(host, server, beta, $"http://{betaHost}:{beta.Port.ToString(CultureInfo.InvariantCulture)}", b => b["ports_exposes"] = "1");

        var patched = await host.PatchProxyAsync(server, host.ProxyOn(b => b["redirect_url"] = null));
        Assert.Equal("CADDY", patched["proxy_type"]!.GetValue<string>());
        // "unchanged" when another test of this class left the proxy running: creating alpha and beta already pushed
        // their routes, so this PATCH may find Caddy holding exactly its config. The requests below check the routes.
        var running = await host.WaitForProxyAsync(server, p => p["status"]?.GetValue<string>() == "running" && ProxyHost.Reconciled(p, ProxyHost.Generation(patched) + 1, "pushed", "unchanged"), "running with its config");
        Assert.Equal(ProxyHost.CaddyImage, running["image"]!.GetValue<string>());

        Assert.Equal($"alpha / host={alphaHost}", await BodyAsync(alphaHost));
        Assert.Equal($"alpha /hello host={alphaHost}", await BodyAsync(alphaHost, "/api/hello"));
        Assert.StartsWith("beta /", await BodyAsync(betaHost), StringComparison.Ordinal);
        Assert.StartsWith("alpha /", await BodyAsync(alphaHost.ToUpperInvariant()), StringComparison.Ordinal);
        foreach (var unknown in new[] { "x." + alphaHost, "unknown.slipway.test", alphaHost + ".evil.test" })
        {
            using var response = await ProxyHost.SendAsync(host.HttpPort, unknown);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal(CaddyConfigRenderer.NotFoundBody, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        // The admin API listens on the server's loopback only, and the pushed config kept that listener.
        var (config, marker) = await AdminConfigAsync();
        Assert.Equal($"127.0.0.1:{host.AdminPort.ToString(CultureInfo.InvariantCulture)}", config["admin"]!["listen"]!.GetValue<string>());

        // The same state again changes nothing: a new generation is taken, Caddy is not touched.
        var again = await host.PatchProxyAsync(server, host.ProxyOn());
        var unchanged = await host.WaitForProxyAsync(server, p => ProxyHost.Reconciled(p, ProxyHost.Generation(again) + 1, "unchanged", "pushed"), "a second reconcile");
        Assert.Equal("unchanged", unchanged["last_reconcile"]!["outcome"]!.GetValue<string>());
        Assert.Equal(marker, (await AdminConfigAsync()).Marker);

        // A routing change through the applications API reaches Caddy without a deployment.
        var gammaHost = ProxyApps.Host("gamma");
        await host.PatchApplicationAsync(alphaApp, new { domains = $"http://{alphaHost},http://{gammaHost}" });
        Assert.True(await Poll.UntilAsync(async () => (await BodyAsync(gammaHost)).StartsWith("alpha /", StringComparison.Ordinal), TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        using (var gone = await ProxyHost.SendAsync(host.HttpPort, alphaHost, "/api/hello"))
        {
            // The /api domain was removed: the host's own route serves it now, unstripped.
            Assert.Equal($"alpha /api/hello host={alphaHost}", await gone.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        // noindex_domains: the listed domain's answers carry X-Robots-Tag, the application's other domain's do not.
        await host.PatchApplicationAsync(alphaApp, new { noindex_domains = new[] { $"http://{gammaHost}" } });
        Assert.True(await Poll.UntilAsync(async () => await RobotsTagAsync(gammaHost) == "noindex, nofollow", TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Null(await RobotsTagAsync(alphaHost));

        // Unknown hosts follow the server's redirect once one is set.
        var redirecting = await host.PatchProxyAsync(server, new JsonObject { ["redirect_url"] = "https://landing.slipway.test/welcome" });
        await host.WaitForProxyAsync(server, p => ProxyHost.Reconciled(p, ProxyHost.Generation(redirecting) + 1, "pushed"), "the redirect pushed");
        using (var redirected = await ProxyHost.SendAsync(host.HttpPort, "nobody.slipway.test"))
        {
            Assert.Equal(HttpStatusCode.Found, redirected.StatusCode);
            Assert.Equal("https://landing.slipway.test/welcome", redirected.Headers.Location!.ToString());
        }

        using var api = host.Api();
        var domains = await api.GetFromJsonAsync<JsonArray>($"/api/v1/servers/{server}/domains", TestContext.Current.CancellationToken);
        var listed = domains!.Single()!["domains"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        Assert.Contains(gammaHost, listed);
        Assert.Contains(betaHost, listed);
    }

    [Fact]
    public async Task Restart_RunningProxy_CreatesTheContainerAnewAndKeepsServing()
    {
        var server = await host.LocalhostUuidAsync();
        await using var upstream = await Upstream.StartAsync("kept");
        var name = ProxyApps.Host("kept");
        await ProxyApps.CreateAsync(host, server, upstream, $"http://{name}");
        var on = await host.PatchProxyAsync(server, host.ProxyOn(b => b["redirect_url"] = null));
        await host.WaitForProxyAsync(server, p => p["status"]?.GetValue<string>() == "running" && ProxyHost.Reconciled(p, ProxyHost.Generation(on) + 1, "pushed", "unchanged"), "running");
        Assert.True(await Poll.UntilAsync(async () => (await BodyAsync(name)).StartsWith("kept /", StringComparison.Ordinal), TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        var before = await ContainerIdAsync();
        var generation = ProxyHost.Generation(await host.GetProxyAsync(server));

        using var api = host.Api();
        var restart = await api.PostAsync($"/api/v1/servers/{server}/proxy/restart", null, TestContext.Current.CancellationToken);
        Assert.Equal(ServerProxyMessage("Proxy restart queued."), await restart.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var after = await host.WaitForProxyAsync(server, p => ProxyHost.Reconciled(p, generation + 1, "pushed", "unchanged") && p["status"]?.GetValue<string>() == "running", "restarted");
        Assert.Contains("Created the proxy container", after["last_reconcile"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEqual(before, await ContainerIdAsync());
        Assert.StartsWith("kept /", await BodyAsync(name), StringComparison.Ordinal);
        var (_, restartPolicy) = await Docker.RunAsync("inspect", "--format", "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.NetworkMode}}", host.ContainerName);
        Assert.Equal("unless-stopped host", restartPolicy.Trim());

        // Off: the container goes, the volume (certificates, autosaved config) stays.
        await host.PatchProxyAsync(server, new JsonObject { ["proxy_type"] = "NONE" });
        await host.WaitForProxyAsync(server, p => p["status"]?.GetValue<string>() == "missing", "the container removed");
        Assert.Equal(0, (await Docker.RunAsync("volume", "inspect", host.Volume)).ExitCode);
    }

    [Fact]
    public async Task Https_DomainWithPebble_ServesACertificateFromItsRootRedirectsHttpAndReportsFailures()
    {
        var server = await host.LocalhostUuidAsync();
        await using var secure = await Upstream.StartAsync("secure");
        var image = await TestApps.HttpdImageAsync("slipway-test/proxy-httpd-" + PublicId.New()[..8]);
        try
        {
            await HttpsAsync(server, secure, image);
        }
        finally
        {
            await Docker.RunAsync("image", "rm", "-f", image + ":latest");
        }
    }

    private async Task HttpsAsync(string server, Upstream secure, string image)
    {
        var secureHost = ProxyApps.Host("secure");
        await ProxyApps.CreateAsync(host, server, secure, $"https://{secureHost}");
        var on = await host.PatchProxyAsync(server, host.ProxyOn(b =>
        {
            b["redirect_url"] = null;
            b["acme_ca_url"] = pebble.DirectoryUrl;
            b["acme_ca_root"] = pebble.TlsCa;
            b["acme_email"] = "ops@slipway.test";
        }));

        (int Status, string Body) answer = default;
        var served = await Poll.UntilAsync(async () =>
        {
            try
            {
                answer = await ProxyApps.GetHttpsAsync(secureHost, host.HttpsPort, pebble.IssuingRoot, "/page");
                return answer.Status == 200;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(served, $"No verified HTTPS answer from {secureHost}. Proxy: {(await host.GetProxyAsync(server)).ToJsonString()}");
        Assert.Equal($"secure /page host={secureHost}:{host.HttpsPort.ToString(CultureInfo.InvariantCulture)}", answer.Body);
        Assert.True(ProxyHost.Generation(await host.GetProxyAsync(server)) > ProxyHost.Generation(on));

        // is_force_https_enabled (Coolify's default): HTTP is redirected, keeping the path.
        using (var redirect = await ProxyHost.SendAsync(host.HttpPort, secureHost, "/page?x=1"))
        {
            Assert.Equal(HttpStatusCode.PermanentRedirect, redirect.StatusCode);
            Assert.Equal($"https://{secureHost}:{host.HttpsPort.ToString(CultureInfo.InvariantCulture)}/page?x=1", redirect.Headers.Location!.ToString());
        }

        var proxy = await host.WaitForProxyAsync(server, p => Certificate(p, secureHost)?["status"]?.GetValue<string>() == "valid", "the certificate reported valid");
        Assert.Contains("Pebble", Certificate(proxy, secureHost)!["issuer"]!.GetValue<string>(), StringComparison.Ordinal);

        // A deployment of an application with an HTTPS domain ends with the domain routed and its certificate logged.
        var deployedHost = ProxyApps.Host("deployed");
        var deployed = await host.CreateDockerImageAppAsync(image, "latest", SlipwayBinary.FreeLoopbackPort(), b => b["domains"] = $"https://{deployedHost}");
        var log = await DeployAsync(deployed);
        Assert.Contains("-----> Routing domains through the proxy", log, StringComparison.Ordinal);
        Assert.Contains($"Certificate for {deployedHost}: valid, issued by ", log, StringComparison.Ordinal);
        Assert.Equal((200, "ok\n"), await ProxyApps.GetHttpsAsync(deployedHost, host.HttpsPort, pebble.IssuingRoot));

        // A certificate that cannot be issued (the CA does not answer) shows in the deployment log and GET …/proxy;
        // without forced HTTPS that application stays reachable over HTTP.
        var brokenHost = ProxyApps.Host("broken");
        var closed = await host.PatchProxyAsync(server, new JsonObject { ["acme_ca_url"] = $"https://127.0.0.1:{SlipwayBinary.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture)}/dir" });
        await host.WaitForProxyAsync(server, p => ProxyHost.Reconciled(p, ProxyHost.Generation(closed) + 1, "pushed"), "the unreachable CA pushed");
        var broken = await host.CreateDockerImageAppAsync(image, "latest", SlipwayBinary.FreeLoopbackPort(), b =>
        {
            b["domains"] = $"https://{brokenHost}";
            b["is_force_https_enabled"] = false;
        });
        var brokenLog = await DeployAsync(broken);
        Assert.Contains($"Certificate for {brokenHost} could not be obtained: ", brokenLog, StringComparison.Ordinal);
        Assert.Contains("connection refused", brokenLog, StringComparison.Ordinal);
        var failed = await host.WaitForProxyAsync(server, p => Certificate(p, brokenHost)?["status"]?.GetValue<string>() == "failed", "the failed certificate reported");
        Assert.Contains("connection refused", Certificate(failed, brokenHost)!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("ok\n", await BodyAsync(brokenHost));
    }

    /// <summary>Deploys the application, which must finish; its visible log.</summary>
    private async Task<string> DeployAsync(string application)
    {
        var deployment = await host.WaitAsync(await host.DeployAsync(application));
        var log = EngineHost.VisibleLog(deployment);
        Assert.True(EngineHost.Status(deployment) == "finished", log);
        return log;
    }

    private static JsonNode? Certificate(JsonNode proxy, string domain) =>
        proxy["certificates"]?.AsArray().FirstOrDefault(c => c!["domain"]!.GetValue<string>() == domain);

    private static string ServerProxyMessage(string message) => new JsonObject { ["message"] = message }.ToJsonString();

    private async Task<string?> RobotsTagAsync(string hostHeader)
    {
        using var response = await ProxyHost.SendAsync(host.HttpPort, hostHeader);
        return response.Headers.TryGetValues("X-Robots-Tag", out var values) ? string.Join(',', values) : null;
    }

    private async Task<string> BodyAsync(string hostHeader, string path = "/")
    {
        try
        {
            using var response = await ProxyHost.SendAsync(host.HttpPort, hostHeader, path);
            return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
    }

    private async Task<(JsonNode Config, string Marker)> AdminConfigAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var json = JsonNode.Parse(await client.GetStringAsync($"http://127.0.0.1:{host.AdminPort.ToString(CultureInfo.InvariantCulture)}/config/", TestContext.Current.CancellationToken))!;
        return (json, json["admin"]!["@id"]!.GetValue<string>());
    }

    private async Task<string> ContainerIdAsync() => (await Docker.RunAsync("inspect", "--format", "{{.Id}}", host.ContainerName)).Output.Trim();
}
