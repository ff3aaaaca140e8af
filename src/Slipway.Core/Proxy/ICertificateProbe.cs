using Slipway.Core.Servers;

namespace Slipway.Core.Proxy;

/// <summary>Asks the proxy's HTTPS port, as a browser would (SNI), which certificate it serves for a host.</summary>
public interface ICertificateProbe
{
    /// <summary>The served certificate, or null when the handshake fails (no certificate for that host yet).</summary>
    Task<ServedCertificate?> ProbeAsync(Server server, int httpsPort, string host, CancellationToken cancellationToken);
}

/// <summary>What a TLS handshake showed: whether the certificate names the host, who issued it and until when.</summary>
public sealed record ServedCertificate(bool CoversHost, string Issuer, DateTimeOffset NotAfter);
