using System.Text.RegularExpressions;

namespace Slipway.Core.Validation;

/// <summary>
/// Application domains (<c>domains</c> / <c>fqdn</c>): a comma-separated list of <c>http(s)://host[:port][/path]</c>
/// with DNS-name hosts and no <c>..</c> path segment; nothing that a proxy label or shell could interpret.
/// </summary>
public static partial class DomainRules
{
    public static string? Check(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (value.Length > 4096)
        {
            return "The domains list is too long.";
        }

        foreach (var domain in Split(value))
        {
            if (!Domain().IsMatch(domain) || domain[(domain.IndexOf("://", StringComparison.Ordinal) + 3)..].Split('/').Skip(1).Any(s => s == ".."))
            {
                return $"'{Shorten(domain)}' is not a valid domain: use http:// or https:// followed by a host name, an optional port and path.";
            }
        }

        return null;
    }

    public static IReadOnlyList<string> Split(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Shorten(string value) => value.Length > 80 ? value[..80] + "…" : value;

    [GeneratedRegex(@"^https?://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(:[0-9]{1,5})?(/[A-Za-z0-9._~-]*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Domain();
}
