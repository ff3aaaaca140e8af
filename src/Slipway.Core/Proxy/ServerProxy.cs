namespace Slipway.Core.Proxy;

/// <summary>
/// A server's edge proxy settings (stored in the server's row). <see cref="Type"/> stays <c>NONE</c> until a user turns
/// the proxy on, so nothing runs on a server that did not ask for it. Coolify's fields plus Slipway's additions: the
/// ports, the image and the ACME account and CA.
/// </summary>
public sealed class ServerProxy
{
    public const int DefaultHttpPort = 80;
    public const int DefaultHttpsPort = 443;
    public const int DefaultAdminPort = 2019;
    public const string DefaultImage = "caddy:2-alpine";
    public const string DefaultAcmeCaUrl = "https://acme-v02.api.letsencrypt.org/directory";

    /// <summary><c>NONE</c> or <c>CADDY</c> (<see cref="ProxyTypes"/>).</summary>
    public string Type { get; set; } = ProxyTypes.None;

    /// <summary>With <see cref="RedirectUrl"/> set, requests for unknown hosts are redirected there (else a 404).</summary>
    public bool RedirectEnabled { get; set; } = true;

    public string? RedirectUrl { get; set; }

    public int HttpPort { get; set; } = DefaultHttpPort;
    public int HttpsPort { get; set; } = DefaultHttpsPort;

    /// <summary>Caddy's admin API port, bound to the server's 127.0.0.1 only.</summary>
    public int AdminPort { get; set; } = DefaultAdminPort;

    public string Image { get; set; } = DefaultImage;
    public string? AcmeEmail { get; set; }
    public string AcmeCaUrl { get; set; } = DefaultAcmeCaUrl;

    /// <summary>PEM certificates Caddy trusts for the ACME server's own HTTPS (a private ACME server); null for public CAs.</summary>
    public string? AcmeCaRoot { get; set; }

    /// <summary>Raised once per reconcile that reads the settings: orders pushes, so an older one never replaces a newer.</summary>
    public long ConfigGeneration { get; set; }

    public bool IsEnabled => Type == ProxyTypes.Caddy;
}
