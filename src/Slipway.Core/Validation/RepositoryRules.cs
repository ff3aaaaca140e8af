using System.Text.RegularExpressions;

namespace Slipway.Core.Validation;

/// <summary>
/// Allow-list for repository URLs: <c>https://</c>, <c>ssh://</c>, <c>git://</c>, scp-style
/// <c>user@host:path</c>, and <c>file:///path</c> only when local repositories are allowed. Query strings,
/// fragments, spaces, quotes and shell metacharacters are never part of a valid URL here.
/// </summary>
public static partial class RepositoryRules
{
    public const int MaxLength = 2048;

    public static string? Check(string? value, bool allowLocal)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "The git repository must not be empty.";
        }

        if (value.Length > MaxLength)
        {
            return "The git repository URL is too long.";
        }

        if (value.StartsWith("file://", StringComparison.Ordinal))
        {
            if (!allowLocal)
            {
                return "Local (file://) repositories are disabled; set SLIPWAY_ALLOW_LOCAL_REPOSITORIES=true to allow them.";
            }

            return FileUrl().IsMatch(value) && !HasDotDotSegment(value[7..]) ? null : Invalid;
        }

        if (RemoteUrl().IsMatch(value) || ScpStyle().IsMatch(value))
        {
            return HasDotDotSegment(PathOf(value)) ? Invalid : null;
        }

        return Invalid;
    }

    /// <summary>
    /// The git host keys pinned for an application, as ssh wrote them: <c>host keytype base64</c> lines, no markers
    /// (<c>@cert-authority</c>, <c>@revoked</c>) and no options. A stored value that is not is refused before ssh reads it.
    /// </summary>
    public static string? CheckPinnedHostKeys(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return value.Length <= 8192 && value.Split('\n').All(line => KnownHostsLine().IsMatch(line))
            ? null
            : "The pinned git host key is not a known_hosts line (host, key type, key); reset it with DELETE /api/v1/applications/{uuid}/git-host-key.";
    }

    private const string Invalid =
        "The git repository must be an https://, ssh://, git:// or user@host:path URL made of letters, digits and . _ ~ - / (no spaces, quotes, query strings or shell characters).";

    private static bool HasDotDotSegment(string path) =>
        path.Split('/').Any(segment => segment == "..");

    private static string PathOf(string value)
    {
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var slash = value.IndexOf('/', scheme + 3);
            return slash < 0 ? string.Empty : value[slash..];
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? value : value[(colon + 1)..];
    }

    // scheme://[user[:secret]@]host[:port]/path — host is a DNS name, IPv4 or [IPv6].
    [GeneratedRegex(@"^(https|ssh|git)://([A-Za-z0-9._~%-]+(:[A-Za-z0-9._~%-]+)?@)?([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?(/[A-Za-z0-9._~%+-]+)+/?\z", RegexOptions.CultureInvariant)]
    private static partial Regex RemoteUrl();

    // user@host:path (git's scp-like syntax); the user and host cannot start with '-'.
    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._-]*@[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:[A-Za-z0-9_][A-Za-z0-9._~+/-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ScpStyle();

    // host or [host]:port (comma-separated names allowed, as ssh writes them), a key type, the key's base64.
    [GeneratedRegex(@"^[A-Za-z0-9.:\[\],_-]+ [a-z0-9@.-]+ [A-Za-z0-9+/]+={0,2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex KnownHostsLine();

    [GeneratedRegex(@"^file://(/[A-Za-z0-9._~+-]+)+/?\z", RegexOptions.CultureInvariant)]
    private static partial Regex FileUrl();
}
