using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Slipway.Core.Proxy;
using Slipway.Core.Servers;
using Slipway.Infrastructure.Engine;

namespace Slipway.Infrastructure.Proxy;

/// <summary>
/// A TLS handshake with the proxy's HTTPS port for one host name (SNI), on the server's 127.0.0.1 (through the SSH
/// connection for other servers). It only looks at the certificate — which host it names, its issuer and expiry —
/// so it accepts whatever is served; whether a client trusts it is the client's business.
/// </summary>
internal sealed class TlsCertificateProbe(ITunnelOpener tunnels) : ICertificateProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<ServedCertificate?> ProbeAsync(Server server, int httpsPort, string host, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        ITunnel? tunnel = null;
        try
        {
            var port = httpsPort;
            if (!server.IsLocalhost)
            {
                tunnel = await tunnels.OpenAsync(server, "127.0.0.1", httpsPort, timeout.Token);
                port = tunnel.LocalPort;
            }

            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", port, timeout.Token);
            X509Certificate2? served = null;
            // It inspects the certificate, sends nothing over the connection and closes it: trust is not its question.
#pragma warning disable CA5359
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
            {
                served = certificate is null ? null : new X509Certificate2(certificate);
                return true;
            });
#pragma warning restore CA5359
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, timeout.Token);
            if (served is null)
            {
                return null;
            }

            using (served)
            {
                return new ServedCertificate(served.MatchesHostname(host), served.Issuer, new DateTimeOffset(served.NotAfter.ToUniversalTime()));
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or System.Security.Authentication.AuthenticationException
                                       or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            if (tunnel is not null)
            {
                await tunnel.DisposeAsync();
            }
        }
    }
}
