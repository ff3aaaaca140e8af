using System.Globalization;
using System.Text.RegularExpressions;

namespace Slipway.Core.Proxy;

/// <summary>
/// The version of the Caddy a server's proxy container runs (from <c>caddy version</c> in it): what the config may
/// use depends on it. Unknown (null) renders only what every Caddy 2 understands, since Caddy refuses a config with
/// a field it does not know.
/// </summary>
public sealed partial record CaddyVersion(int Major, int Minor, int Patch)
{
    /// <summary>The reverse proxy's <c>stream_close_delay</c> came with Caddy 2.7.0.</summary>
    public bool HasStreamCloseDelay => Major > 2 || (Major == 2 && Minor >= 7);

    /// <summary>
    /// Reads the first <c>major.minor.patch</c> of <c>caddy version</c>'s output: <c>v2.7.6 h1:…</c> for the official
    /// builds, <c>2.6.2</c> for Debian's.
    /// </summary>
    public static CaddyVersion? Parse(string? output)
    {
        if (output is null || VersionPattern().Match(output) is not { Success: true } match)
        {
            return null;
        }

        return int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            && int.TryParse(match.Groups[3].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var patch)
                ? new CaddyVersion(major, minor, patch)
                : null;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");

    [GeneratedRegex(@"^\s*v?(\d{1,4})\.(\d{1,4})\.(\d{1,4})", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
