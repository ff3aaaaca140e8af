using System.Net.Sockets;
using Slipway.Core.Execution;
using Slipway.Core.Servers;

namespace Slipway.Infrastructure.Engine;

/// <summary>
/// Health-check requests sent by Slipway itself. For this machine the address is reached directly; for other
/// servers through an SSH tunnel (<see cref="ITunnelOpener"/>). Certificates are not verified: the check asks
/// "does the new container answer", and it is addressed by IP.
/// </summary>
internal sealed class HttpProber(ITunnelOpener tunnels) : IHttpProber, IDisposable
{
    private const int MaxBody = 64 * 1024;

    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        // A health check addresses a container by IP, where no certificate could match; it asks whether the new
        // container answers, not who it is (that is proven separately). Nothing secret is sent.
#pragma warning disable CA5359
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
#pragma warning restore CA5359
    });

    public async Task<HttpProbeResult> ProbeAsync(Server server, HttpProbe probe, CancellationToken cancellationToken)
    {
        try
        {
            if (server.IsLocalhost)
            {
                return await SendAsync(probe.Address, probe.Port, probe, cancellationToken);
            }

            await using var tunnel = await tunnels.OpenAsync(server, probe.Address, probe.Port, cancellationToken);
            return await SendAsync("127.0.0.1", tunnel.LocalPort, probe, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or IOException or TaskCanceledException or InvalidOperationException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return new HttpProbeResult(null, string.Empty, ex is TaskCanceledException ? $"no answer within {probe.Timeout.TotalSeconds:0}s" : ex.Message);
        }
    }

    private async Task<HttpProbeResult> SendAsync(string address, int port, HttpProbe probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(probe.Timeout);
        var host = address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;
        using var request = new HttpRequestMessage(new HttpMethod(probe.Method), new Uri($"{probe.Scheme}://{host}:{port}{probe.Path}"));
        request.Headers.Host = probe.HostHeader;
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        var buffer = new byte[MaxBody];
        var read = 0;
        int chunk;
        while (read < buffer.Length && (chunk = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token)) > 0)
        {
            read += chunk;
        }

        return new HttpProbeResult((int)response.StatusCode, System.Text.Encoding.UTF8.GetString(buffer, 0, read), null);
    }

    public void Dispose() => _client.Dispose();
}
