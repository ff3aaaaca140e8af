using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Core.Validation;

/// <summary>
/// The proxy settings of a server. Every value ends up in Caddy's config or on a <c>docker run</c> line, so each is
/// held to an allow-list: URLs of the characters a URL needs and no <c>{</c> <c>}</c> (Caddy placeholders), a
/// certificate bundle that parses as certificates and nothing else.
/// </summary>
public static partial class ProxyRules
{
    public const int MaxUrlLength = 2048;
    public const int MaxCaRootLength = 64 * 1024;

    public static string? CheckPort(int? value, string field) =>
        value is >= 1 and <= 65535 ? null : $"The {field} must be a port number between 1 and 65535.";

    /// <summary>The three ports must differ: Caddy binds each on the host network.</summary>
    public static IEnumerable<(string Field, string Error)> CheckDistinctPorts(int http, int https, int admin)
    {
        if (http == https)
        {
            yield return ("https_port", "The https_port must differ from the http_port.");
        }

        if (admin == http || admin == https)
        {
            yield return ("admin_port", "The admin_port must differ from the http_port and the https_port.");
        }
    }

    public static string? CheckImage(string? value) => DockerImageRules.CheckReference(value);

    public static string? CheckEmail(string? value) =>
        value is not null && value.Length <= 254 && Email().IsMatch(value) ? null : "The acme_email must be an e-mail address.";

    /// <summary>An ACME directory: an https URL (ACME requires TLS).</summary>
    public static string? CheckAcmeCaUrl(string? value) =>
        CheckUrl(value, httpsOnly: true) is null ? null : "The acme_ca_url must be the https:// URL of an ACME directory.";

    /// <summary>Where unknown hosts are redirected: an http(s) URL.</summary>
    public static string? CheckRedirectUrl(string? value) =>
        CheckUrl(value, httpsOnly: false) is null ? null : "The redirect_url must be an http:// or https:// URL without spaces, quotes or braces.";

    /// <summary>
    /// A PEM bundle of one or more certificates, nothing else. Returns the bundle re-encoded from the parsed
    /// certificates, so only certificate bytes ever reach the proxy's volume.
    /// </summary>
    public static string? NormalizeCaRoot(string? value, out string? error)
    {
        error = "The acme_ca_root must be one or more PEM certificates (-----BEGIN CERTIFICATE-----).";
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxCaRootLength || !value.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            return null;
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(value);
        }
        catch (CryptographicException)
        {
            return null;
        }

        if (certificates.Count == 0)
        {
            return null;
        }

        var pem = new StringBuilder();
        foreach (var certificate in certificates)
        {
            pem.Append(certificate.ExportCertificatePem()).Append('\n');
            certificate.Dispose();
        }

        error = null;
        return pem.ToString();
    }

    private static string? CheckUrl(string? value, bool httpsOnly)
    {
        if (value is null || value.Length > MaxUrlLength || !Url().IsMatch(value))
        {
            return "invalid";
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || (httpsOnly && uri.Scheme != "https")
            || string.IsNullOrEmpty(uri.Host) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return "invalid";
        }

        return null;
    }

    /// <summary>A Docker container or volume name (the proxy's come from Slipway's configuration, not from requests).</summary>
    public static bool IsDockerName(string? value) => value is { Length: <= 128 } && DockerName().IsMatch(value);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex DockerName();

    [GeneratedRegex(@"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    // Scheme, host (name, IPv4 or [IPv6]), optional port, then URL path/query characters without quotes, braces,
    // spaces, backslashes or angle brackets.
    [GeneratedRegex(@"^https?://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?(/[A-Za-z0-9._~!$&()*+,;=:@%/?-]*)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Url();
}
