using System.Globalization;
using System.Net;
using Slipway.IntegrationTests.Fixtures;

namespace Slipway.IntegrationTests.Proxy;

/// <summary>
/// What the rollout tests share: images that answer their version, and a load client sending GETs through the proxy
/// on keep-alive connections — a reused connection the server closed is retried once (RFC 9112 §9.3.1, as browsers
/// and curl do) and counted.
/// </summary>
internal sealed class RolloutLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task<Result>> _clients;

    private RolloutLoad(int proxyPort, string domain, int connections) =>
        _clients = Enumerable.Range(0, connections).Select(_ => RunAsync(proxyPort, domain, _stop.Token)).ToList();

    /// <summary>Starts <paramref name="connections"/> clients sending GETs for <paramref name="domain"/> to the proxy's HTTP port.</summary>
    public static RolloutLoad Start(int proxyPort, string domain, int connections = 4) => new(proxyPort, domain, connections);

    /// <summary>Stops the clients and asserts that no request failed, that enough were sent, and returns every body answered.</summary>
    public async Task<IReadOnlySet<string>> StopAndCheckAsync()
    {
        await _stop.CancelAsync();
        var results = await Task.WhenAll(_clients);
        var failed = results.Sum(r => r.Failed);
        Assert.True(failed == 0, $"{failed} request(s) failed: {string.Join("; ", results.SelectMany(r => r.Errors).Distinct().Take(5))}");
        Assert.True(results.Sum(r => r.Ok) > 20, "The load client sent too few requests to mean anything.");
        return results.SelectMany(r => r.Bodies).ToHashSet();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await ((Task)Task.WhenAll(_clients)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    /// <summary>What the proxy answers for <paramref name="domain"/> now.</summary>
    public static async Task<string> BodyAsync(int proxyPort, string domain)
    {
        using var response = await ProxyHost.SendAsync(proxyPort, domain);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Builds <c>image:version</c>: busybox httpd on <c>$PORT</c> answering <c>version\n</c>.</summary>
    public static async Task BuildAsync(string image, string version)
    {
        var directory = Directory.CreateTempSubdirectory("slipway-rollout-image-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "Dockerfile"), $$"""
                FROM {{Docker.TestImage}}
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

    private static async Task<Result> RunAsync(int proxyPort, string domain, CancellationToken stop)
    {
        var result = new Result();
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        var uri = new Uri($"http://127.0.0.1:{proxyPort.ToString(CultureInfo.InvariantCulture)}/");
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

    private sealed class Result
    {
        public int Ok { get; set; }
        public int Failed { get; set; }
        public int Retries { get; set; }
        public HashSet<string> Bodies { get; } = [];
        public List<string> Errors { get; } = [];
    }
}
