using Slipway.Core.Routing;

namespace Slipway.Core.Proxy;

/// <summary>
/// What a server's proxy should do, made only by <see cref="ProxyPlanner"/> from stored rows after checking every
/// value again: the renderer gets nothing else, so nothing unchecked can reach Caddy's config.
/// </summary>
public sealed class ProxyPlan
{
    internal ProxyPlan(int httpPort, int httpsPort, int adminPort, string? redirectUrl, AcmeIssuer acme, IReadOnlyList<ProxyRoute> routes, IReadOnlyList<string> problems)
    {
        HttpPort = httpPort;
        HttpsPort = httpsPort;
        AdminPort = adminPort;
        RedirectUrl = redirectUrl;
        Acme = acme;
        Routes = routes;
        Problems = problems;
    }

    public int HttpPort { get; }
    public int HttpsPort { get; }
    public int AdminPort { get; }

    /// <summary>Where unknown hosts go; null: they get Slipway's 404.</summary>
    public string? RedirectUrl { get; }

    public AcmeIssuer Acme { get; }

    /// <summary>Sorted: by host, longer paths first, so a path route is tried before its host's catch-all.</summary>
    public IReadOnlyList<ProxyRoute> Routes { get; }

    /// <summary>Stored values that failed the checks and were left out, one sentence each (shown by <c>GET …/proxy</c>).</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The hosts that need certificates.</summary>
    public IReadOnlyList<string> HttpsHosts => Routes.Where(r => r.Domain.IsHttps).Select(r => r.Domain.Host).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}

/// <summary>The ACME CA certificates come from; <see cref="TrustedRootFile"/> is the CA root in the proxy's volume, when one is set.</summary>
public sealed record AcmeIssuer(string CaUrl, string? Email, string? TrustedRootFile);

/// <summary>One domain of an application or preview and how it is served.</summary>
public sealed class ProxyRoute
{
    internal ProxyRoute(
        ApplicationDomain domain, string applicationUuid, int pullRequestId, ProxyUpstream? upstream, RouteOptions options, string? redirectHost, bool noIndex = false)
    {
        NoIndex = noIndex;
        Domain = domain;
        ApplicationUuid = applicationUuid;
        PullRequestId = pullRequestId;
        Upstream = upstream;
        Options = options;
        RedirectHost = redirectHost;
    }

    public ApplicationDomain Domain { get; }
    public string ApplicationUuid { get; }
    public int PullRequestId { get; }

    /// <summary>Where requests go; null when the application publishes no port the proxy can reach (answered with a 502).</summary>
    public ProxyUpstream? Upstream { get; }

    public RouteOptions Options { get; }

    /// <summary>Answers carry <c>X-Robots-Tag: noindex, nofollow</c> (the host is in the application's <c>noindex_domains</c>).</summary>
    public bool NoIndex { get; }

    /// <summary>Set when this domain redirects to its www (or non-www) counterpart instead of being served.</summary>
    public string? RedirectHost { get; }
}

/// <summary>
/// An upstream on the server's loopback interface (the proxy runs with host networking). During a rollout's drain
/// the previous container's port is listed behind it (<see cref="DrainingPort"/>): Caddy sends every new request
/// to the first and keeps counting the old one's requests in flight, which it forgets for an upstream it no
/// longer names.
/// </summary>
public sealed record ProxyUpstream
{
    internal ProxyUpstream(int port, int? drainingPort = null)
    {
        Port = port;
        DrainingPort = drainingPort == port ? null : drainingPort;
    }

    public int Port { get; }

    public int? DrainingPort { get; }

    public string Dial => DialOf(Port);

    public static string DialOf(int port) => $"127.0.0.1:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>The application's routing fields, checked: a basic-auth pair is present only when enabled and valid.</summary>
public sealed record RouteOptions(bool ForceHttps, bool Gzip, bool StripPrefix, BasicAuth? BasicAuth);

/// <summary>A checked user name and bcrypt hash.</summary>
public sealed record BasicAuth
{
    internal BasicAuth(string username, string passwordHash)
    {
        Username = username;
        PasswordHash = passwordHash;
    }

    /// <summary>Stands for credentials that failed the checks: the route answers 503 instead of serving unprotected.</summary>
    internal static BasicAuth Unusable { get; } = new(string.Empty, string.Empty);

    public string Username { get; }
    public string PasswordHash { get; }

    public bool IsUsable => Username.Length > 0;
}
