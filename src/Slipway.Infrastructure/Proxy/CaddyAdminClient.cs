using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Slipway.Core.Proxy;
using Slipway.Core.Servers;
using Slipway.Infrastructure.Engine;

namespace Slipway.Infrastructure.Proxy;

/// <summary>
/// Caddy's admin API. It listens on the server's 127.0.0.1 only: this machine's is called directly, another
/// server's through a port forwarded over its SSH connection — with the server-side address as the Host header,
/// which Caddy checks against its listen address.
/// </summary>
internal sealed class CaddyAdminClient(ITunnelOpener tunnels, ProxyOptions options) : ICaddyAdmin, IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.Zero })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<CaddyConfigSnapshot?> GetConfigAsync(Server server, int adminPort, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(server, adminPort, HttpMethod.Get, "/config/", null, null, async response =>
            {
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    // Something answers but refuses (403 for a wrong Host): waiting will not change that.
                    throw new ProxyException($"The proxy's admin API answered {(int)response.StatusCode}: {Shorten(await response.Content.ReadAsStringAsync(cancellationToken))}");
                }

                // Caddy sends the ETag as a trailer (after the chunked body): read the body first.
                var json = await response.Content.ReadAsStringAsync(cancellationToken);
                var etag = response.Headers.ETag?.ToString()
                    ?? (response.TrailingHeaders.TryGetValues("ETag", out var values) ? values.FirstOrDefault() : null);
                return etag is null ? null : new CaddyConfigSnapshot(json, etag);
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Not (yet) listening: the caller waits for it.
            return null;
        }
    }

    public async Task<bool> ReplaceConfigAsync(Server server, int adminPort, string config, string etag, CancellationToken cancellationToken) =>
        await SendAsync(server, adminPort, HttpMethod.Post, "/config/", config, etag, async response =>
        {
            if (response.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                return false;
            }

            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new ProxyException($"Caddy refused the configuration ({(int)response.StatusCode}): {Shorten(body)}");
            }

            return true;
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, int>?> UpstreamRequestsAsync(Server server, int adminPort, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(server, adminPort, HttpMethod.Get, "/reverse_proxy/upstreams", null, null, async response =>
            {
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return null;
                }

                using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                var counts = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var upstream in document.RootElement.EnumerateArray())
                {
                    if (upstream.TryGetProperty("address", out var address) && upstream.TryGetProperty("num_requests", out var requests))
                    {
                        counts[address.GetString() ?? string.Empty] = requests.GetInt32();
                    }
                }

                return (IReadOnlyDictionary<string, int>?)counts;
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or IOException or System.Text.Json.JsonException
            or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task<T> SendAsync<T>(
        Server server, int adminPort, HttpMethod method, string path, string? body, string? ifMatch, Func<HttpResponseMessage, Task<T>> read, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.AdminRequestTimeout);
        var serverSide = "127.0.0.1:" + adminPort.ToString(CultureInfo.InvariantCulture);
        ITunnel? tunnel = null;
        try
        {
            var address = serverSide;
            if (!server.IsLocalhost)
            {
                tunnel = await tunnels.OpenAsync(server, "127.0.0.1", adminPort, timeout.Token);
                address = "127.0.0.1:" + tunnel.LocalPort.ToString(CultureInfo.InvariantCulture);
            }

            using var request = new HttpRequestMessage(method, new Uri($"http://{address}{path}"));
            request.Headers.Host = serverSide;
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }

            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            return await read(response);
        }
        finally
        {
            if (tunnel is not null)
            {
                await tunnel.DisposeAsync();
            }
        }
    }

    private static string Shorten(string text) => text.Length > 500 ? text[..500] + "…" : text;

    public void Dispose() => _client.Dispose();
}
