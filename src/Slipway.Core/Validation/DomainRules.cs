using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Slipway.Core.Routing;

namespace Slipway.Core.Validation;

/// <summary>
/// Application domains (<c>domains</c> on the wire, stored as <c>fqdn</c>): a comma-separated list of at most
/// <see cref="MaxDomains"/> <c>http(s)://host[:port][/path]</c> URLs, lower-cased. Hosts are DNS names of at least two
/// labels; internationalized names are accepted in punycode (<c>xn--…</c>) only, so a look-alike letter cannot pass
/// for an ASCII one. A bare host, another scheme, a wildcard, user info, a query, percent-escapes and anything a
/// proxy config could interpret (spaces, quotes, <c>{</c> <c>}</c> placeholders) are refused.
/// </summary>
public static partial class DomainRules
{
    public const int MaxDomains = 100;

    /// <summary>Longest accepted URL: a 253-character host, a port and a path of reasonable length.</summary>
    public const int MaxDomainLength = 512;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    public static string? Check(string? value) => TryParse(value, out _, out var error) ? null : error;

    /// <summary>Parses a whole list; null or blank is the empty list. On failure <paramref name="error"/> names the first bad domain.</summary>
    public static bool TryParse(string? value, out IReadOnlyList<ApplicationDomain> domains, out string? error)
    {
        domains = [];
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        var parts = Split(value);
        if (parts.Count > MaxDomains)
        {
            error = $"An application has at most {MaxDomains} domains ({parts.Count} given).";
            return false;
        }

        var parsed = new List<ApplicationDomain>(parts.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            if (!TryParseOne(part, out var domain, out error))
            {
                return false;
            }

            if (!seen.Add(domain!.RouteKey))
            {
                error = $"The domain {Quote(part)} is listed twice (host and path must be unique).";
                return false;
            }

            parsed.Add(domain);
        }

        domains = parsed;
        return true;
    }

    /// <summary>The stored list, parsed; a stored value that no longer passes the rules gives no domains.</summary>
    public static IReadOnlyList<ApplicationDomain> ParseStored(string? value) => TryParse(value, out var domains, out _) ? domains : [];

    /// <summary>The normalised list as stored and returned (<c>fqdn</c>): lower-case, no trailing slash, comma-separated.</summary>
    public static string? Join(IEnumerable<ApplicationDomain> domains)
    {
        var joined = string.Join(',', domains.Select(d => d.ToString()));
        return joined.Length == 0 ? null : joined;
    }

    public static IReadOnlyList<string> Split(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static bool TryParseOne(string text, out ApplicationDomain? domain, out string? error)
    {
        domain = null;
        error = ParseOne(text, ref domain);
        return error is null;
    }

    private static string? ParseOne(string text, ref ApplicationDomain? domain)
    {
        if (text.Length > MaxDomainLength)
        {
            return $"The domain {Quote(text)} is longer than {MaxDomainLength} characters.";
        }

        if (text.Any(c => c > '\x7e'))
        {
            return NonAscii(text);
        }

        if (text.Any(c => c <= ' ' || c is '"' or '\'' or '`' or '\\' or '{' or '}' or '<' or '>' or '|' or '^'))
        {
            return $"The domain {Quote(text)} contains spaces, quotes, braces or control characters: use http:// or https:// followed by a host name, an optional port and path.";
        }

        var lower = text.ToLowerInvariant();
        var https = lower.StartsWith("https://", StringComparison.Ordinal);
        if (!https && !lower.StartsWith("http://", StringComparison.Ordinal))
        {
            return lower.Contains("://", StringComparison.Ordinal)
                ? $"The domain {Quote(text)} must use http:// or https://."
                : $"The domain {Quote(text)} has no scheme: write it as https://{text} (or http://).";
        }

        var rest = lower[(https ? 8 : 7)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? string.Empty : rest[slash..];
        string host;
        int? port = null;
        var colon = authority.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            host = authority[..colon];
            if (!PortRules.TryParsePort(authority[(colon + 1)..], out var parsedPort))
            {
                return $"The domain {Quote(text)} has an invalid port: use a number between 1 and 65535.";
            }

            port = parsedPort;
        }
        else
        {
            host = authority;
        }

        if (host.Contains('*', StringComparison.Ordinal))
        {
            return $"The domain {Quote(text)} is a wildcard: list each host name.";
        }

        if (CheckHost(host) is { } hostProblem)
        {
            return $"The domain {Quote(text)} {hostProblem}";
        }

        if (path.Length > 1)
        {
            path = path.TrimEnd('/');
            if (!Path().IsMatch(path) || path.Split('/').Any(s => s is "." or ".."))
            {
                return $"The domain {Quote(text)} has an invalid path: use /segment[/segment] of letters, digits and . _ ~ -.";
            }
        }
        else
        {
            path = string.Empty;
        }

        domain = new ApplicationDomain(https, host, port, path);
        return null;
    }

    /// <summary>Null for a valid host, else the end of a sentence that starts with the domain.</summary>
    private static string? CheckHost(string host)
    {
        if (host.Length is 0 or > 253 || host.Contains('@', StringComparison.Ordinal))
        {
            return "has no valid host name.";
        }

        var labels = host.Split('.');
        if (labels.Length < 2)
        {
            return "needs a host name with a dot (e.g. app.example.com).";
        }

        if (!labels.All(l => Label().IsMatch(l)) || !char.IsAsciiLetterLower(labels[^1][0]))
        {
            return "has an invalid host name: labels of letters, digits and '-', ending in a top-level domain (IP addresses are not domains).";
        }

        foreach (var label in labels.Where(l => l.StartsWith("xn--", StringComparison.Ordinal)))
        {
            try
            {
                Idn.GetUnicode(label);
            }
            catch (ArgumentException)
            {
                return $"has an invalid punycode label '{label}'.";
            }
        }

        return null;
    }

    private static string NonAscii(string text)
    {
        // Say what to write instead: the punycode form, when the host is a proper internationalized name.
        var start = text.IndexOf("://", StringComparison.Ordinal);
        if (start > 0)
        {
            var authority = text[(start + 3)..].Split('/', 2)[0];
            var host = authority.Split(':', 2)[0];
            try
            {
                var ascii = Idn.GetAscii(host);
                return $"The domain {Quote(text)} has non-ASCII characters: write internationalized names in punycode ({text[..(start + 3)]}{ascii}{text[(start + 3 + host.Length)..]}).";
            }
            catch (ArgumentException)
            {
            }
        }

        return $"The domain {Quote(text)} has non-ASCII characters: write internationalized names in punycode (xn--…).";
    }

    /// <summary>The value as a JSON string, shortened: control characters and look-alikes stay visible as escapes.</summary>
    private static string Quote(string value) =>
        JsonSerializer.Serialize(value.Length > 80 ? value[..80] + "…" : value);

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    [GeneratedRegex(@"^(/[a-z0-9._~-]+)+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Path();
}
