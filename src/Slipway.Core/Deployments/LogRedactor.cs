using System.Text.RegularExpressions;

namespace Slipway.Core.Deployments;

/// <summary>
/// Removes secrets from log text before it is stored: credentials inside URLs (<c>scheme://user:pass@</c>) and
/// the literal values of a deployment's locked environment variables. Both become <c>&lt;REDACTED&gt;</c>.
/// </summary>
public static partial class LogRedactor
{
    public const string Marker = "<REDACTED>";

    public static string Redact(string text, IReadOnlyCollection<string>? secrets)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var result = text.Contains("://", StringComparison.Ordinal) ? UrlCredentials().Replace(text, "$1" + Marker + "@") : text;
        if (secrets is { Count: > 0 })
        {
            // Longest first, so a secret containing another is replaced whole.
            foreach (var secret in secrets.OrderByDescending(s => s.Length))
            {
                if (secret.Length > 0)
                {
                    result = result.Replace(secret, Marker, StringComparison.Ordinal);
                }
            }
        }

        return result;
    }

    [GeneratedRegex(@"([a-zA-Z][a-zA-Z0-9+.\-]*://)[^/\s@:]*(?::[^/\s@]*)?@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlCredentials();
}
