namespace Slipway.Core.Webhooks;

/// <summary>
/// Which repository a URL names, for matching webhook payloads to applications: <c>host/owner/repo</c>, lower-case,
/// without scheme, user, port, trailing slash or <c>.git</c>. So <c>https://GitHub.com/Org/Repo.git</c>,
/// <c>ssh://git@github.com:22/org/repo</c> and <c>git@github.com:org/repo.git</c> are one repository, while
/// <c>org/repo-evil</c>, <c>evil.com/org/repo</c> or <c>org/repo/sub</c> are others: two repositories are the same
/// only when host and full path are equal (never a substring or suffix match; Coolify's was, until 2026).
/// </summary>
public static class RepositoryIdentity
{
    private static readonly string[] Schemes = ["https://", "http://", "ssh://", "git+ssh://", "git://", "file://"];

    /// <summary>The identity of <paramref name="url"/>, or null when it is not a repository URL.</summary>
    public static string? Normalize(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2048)
        {
            return null;
        }

        url = url.Trim();
        if (url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '?' or '#' or '\\'))
        {
            return null;
        }

        var (host, path) = Split(url);
        if (host is null || path is null)
        {
            return null;
        }

        path = path.Trim('/');
        if (path.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^4].TrimEnd('/');
        }

        var segments = path.Split('/');
        if (path.Length == 0 || segments.Any(s => s.Length == 0 || s is "." or ".."))
        {
            return null;
        }

        return $"{host}/{path}".ToLowerInvariant();
    }

    /// <summary>True when both URLs name the same repository (and both are repository URLs).</summary>
    public static bool SameRepository(string? left, string? right) =>
        Normalize(left) is { } a && Normalize(right) is { } b && string.Equals(a, b, StringComparison.Ordinal);

    /// <summary>The repository's own name (last path segment), lower-case: a cheap pre-filter for database lookups.</summary>
    public static string? Name(string identity) => identity.Length == 0 ? null : identity[(identity.LastIndexOf('/') + 1)..];

    private static (string? Host, string? Path) Split(string url)
    {
        foreach (var scheme in Schemes)
        {
            if (!url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var rest = url[scheme.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                return (null, null);
            }

            var authority = rest[..slash];
            // file:///srv/repo has an empty host; every other scheme needs one.
            return scheme == "file://"
                ? (authority.Length == 0 ? string.Empty : null, rest[slash..])
                : (Host(authority), rest[slash..]);
        }

        if (url.Contains("://", StringComparison.Ordinal))
        {
            return (null, null);
        }

        // git's scp-like syntax: [user@]host:path, recognised (as git does) by a ':' before any '/'.
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var firstSlash = url.IndexOf('/', StringComparison.Ordinal);
        if (colon <= 0 || (firstSlash >= 0 && firstSlash < colon))
        {
            return (null, null);
        }

        var at = url.LastIndexOf('@', colon);
        if (at == 0)
        {
            return (null, null);
        }

        var scpHost = url[(at + 1)..colon];
        return (scpHost.Length == 0 ? null : scpHost, url[(colon + 1)..]);
    }

    /// <summary>The host of <c>[user[:secret]@]host[:port]</c>, or null when there is none.</summary>
    private static string? Host(string authority)
    {
        var hostAndPort = authority[(authority.LastIndexOf('@') + 1)..];
        if (hostAndPort.StartsWith('['))
        {
            var end = hostAndPort.IndexOf(']', StringComparison.Ordinal);
            return end < 0 ? null : hostAndPort[..(end + 1)];
        }

        var colon = hostAndPort.IndexOf(':', StringComparison.Ordinal);
        var host = colon < 0 ? hostAndPort : hostAndPort[..colon];
        return host.Length == 0 ? null : host;
    }
}
