using System.Globalization;

namespace Slipway.Core.Routing;

/// <summary>
/// One of an application's domains, parsed and normalised by <see cref="Validation.DomainRules"/>: the only way to
/// get one, so anything holding it (the route builder, the Caddy renderer) holds a checked value. The host is a
/// lower-case ASCII DNS name (internationalized names in punycode), the port (the upstream's, as in Coolify) is
/// optional and the path is empty or <c>/segment[/segment…]</c> without a trailing slash.
/// </summary>
public sealed record ApplicationDomain
{
    internal ApplicationDomain(bool isHttps, string host, int? port, string path)
    {
        IsHttps = isHttps;
        Host = host;
        Port = port;
        Path = path;
    }

    public bool IsHttps { get; }

    public string Scheme => IsHttps ? "https" : "http";

    public string Host { get; }

    /// <summary>The URL's port: the container port the route forwards to (else the first of <c>ports_exposes</c>).</summary>
    public int? Port { get; }

    /// <summary>Empty for the whole host, else the path prefix the route matches (e.g. <c>/api</c>).</summary>
    public string Path { get; }

    /// <summary>What two routes may not share: the host and the path (scheme and port do not matter to a proxy's match).</summary>
    public string RouteKey => Host + Path;

    public override string ToString() =>
        $"{Scheme}://{Host}{(Port is { } port ? ":" + port.ToString(CultureInfo.InvariantCulture) : string.Empty)}{Path}";
}
