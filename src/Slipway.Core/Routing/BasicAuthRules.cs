using System.Text.RegularExpressions;

namespace Slipway.Core.Routing;

/// <summary>
/// HTTP basic authentication in front of an application: a user name the proxy config can hold as is, and a
/// password kept only as a bcrypt hash (what Caddy's <c>http_basic</c> provider checks against).
/// </summary>
public static partial class BasicAuthRules
{
    /// <summary>bcrypt reads at most 72 bytes; a longer password would be silently cut.</summary>
    public const int MaxPasswordBytes = 72;

    private const int WorkFactor = 10;

    public static string? CheckUsername(string? value) =>
        value is not null && Username().IsMatch(value)
            ? null
            : "The http_basic_auth_username must be 1-64 letters, digits and . _ @ -.";

    public static string? CheckPassword(string? value) =>
        value is { Length: > 0 } && System.Text.Encoding.UTF8.GetByteCount(value) <= MaxPasswordBytes && !value.Any(char.IsControl)
            ? null
            : $"The http_basic_auth_password must be 1-{MaxPasswordBytes} bytes without control characters.";

    public static string Hash(string password) => BCrypt.Net.BCrypt.HashPassword(password, WorkFactor);

    /// <summary>A stored hash the proxy may be given: bcrypt's own alphabet only (it goes into the config verbatim).</summary>
    public static bool IsHash(string? value) => value is not null && Hashed().IsMatch(value);

    public static bool Verify(string password, string hash) => BCrypt.Net.BCrypt.Verify(password, hash);

    [GeneratedRegex(@"^[A-Za-z0-9._@-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Username();

    [GeneratedRegex(@"^\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Hashed();
}
