using System.Globalization;
using System.Net;
using Slipway.Core.Common;
using Slipway.IntegrationTests.Fixtures;

namespace Slipway.IntegrationTests.Proxy;

/// <summary>
/// Zero-downtime rollout through the real Caddy container on localhost: an application with a domain and no host
/// ports is redeployed while a client keeps sending GETs through the proxy on keep-alive connections.
/// </summary>
public sealed class RolloutTests(ProxyHost host) : IClassFixture<ProxyHost>
{
    private const int Connections = 4;

    [Fact]
    public async Task Redeploy_UnderLoadThroughTheProxy_LosesNoRequestAndServesTheNewVersion()
    {
        var image = "slipway-test/rollout-" + PublicId.New()[..8];
        try
        {
            await BuildAsync(image, "v1");
            await BuildAsync(image, "v2");
            await RolloutAsync(image);
        }
        finally
        {
            await Docker.RunAsync("image", "rm", "-f", image + ":v1", image + ":v2");
        }
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
            Assert.True(await Poll.UntilAsync(async () => await BodyAsync(domain) == "v1\n", TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

            // The load: GETs on keep-alive connections; a reused connection the server closed is retried once
            // (RFC 9112 §9.3.1, as browsers and curl do) and counted.
            using var stop = new CancellationTokenSource();
            var load = Enumerable.Range(0, Connections).Select(_ => LoadAsync(domain, stop.Token)).ToList();
            await host.PatchApplicationAsync(app, new { docker_registry_image_tag = "v2" });
            var second = await DeployAsync(app);
            Assert.Contains("Switched the proxy to the new container", second, StringComparison.Ordinal);
            Assert.Contains("The old container has no request in flight", second, StringComparison.Ordinal);

            // Once the deployment has finished, every answer is the new version.
            var after = await BodyAsync(domain);
            await stop.CancelAsync();
            var results = await Task.WhenAll(load);
            var failed = results.Sum(r => r.Failed);
            Assert.True(failed == 0, $"{failed} request(s) failed during the redeploy: {string.Join("; ", results.SelectMany(r => r.Errors).Distinct().Take(5))}");
            Assert.True(results.Sum(r => r.Ok) > 20, "The load client sent too few requests to mean anything.");
            Assert.Equal("v2\n", after);
            Assert.Contains(results, r => r.Bodies.Contains("v1\n"));
            Assert.Contains(results, r => r.Bodies.Contains("v2\n"));
            var containers = await Docker.ContainersAsync(app);
            Assert.Single(containers);
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

    private async Task<string> BodyAsync(string domain)
    {
        using var response = await ProxyHost.SendAsync(host.HttpPort, domain);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    private async Task<LoadResult> LoadAsync(string domain, CancellationToken stop)
    {
        var result = new LoadResult();
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        var uri = new Uri($"http://127.0.0.1:{host.HttpPort.ToString(CultureInfo.InvariantCulture)}/");
        while (!stop.IsCancellationRequested)
        {
            for (var attempt = 1; attempt <= 2; attempt++)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                    request.Headers.Host = domain;
                    using var response = await client.SendAsync(request, CancellationToken.None);
                    var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        result.Ok++;
                        result.Bodies.Add(body);
                    }
                    else
                    {
                        result.Failed++;
                        result.Errors.Add($"HTTP {(int)response.StatusCode}: {body.Trim()}");
                    }

                    break;
                }
                catch (HttpRequestException ex) when (attempt == 1)
                {
                    result.Retries++;
                    result.Errors.Add("retried: " + ex.Message);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    result.Failed++;
                    result.Errors.Add(ex.Message);
                }
            }
        }

        return result;
    }

    private static async Task BuildAsync(string image, string version)
    {
        var directory = Directory.CreateTempSubdirectory("slipway-rollout-image-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "Dockerfile"), $$"""
                FROM slipway-test/busybox:latest
                RUN mkdir -p /www && echo {{version}} > /www/index.html
                CMD ["sh", "-c", "exec httpd -f -p \"$PORT\" -h /www"]
                """);
            var (code, output) = await Docker.BuildAsync(directory, $"{image}:{version}");
            Assert.True(code == 0, $"Building {image}:{version} failed: {output}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class LoadResult
    {
        public int Ok { get; set; }
        public int Failed { get; set; }
        public int Retries { get; set; }
        public HashSet<string> Bodies { get; } = [];
        public List<string> Errors { get; } = [];
    }
}
