using System.Security.Cryptography;
using System.Text;

namespace Slipway.Core.Webhooks;

public enum SignatureScheme
{
    /// <summary><c>sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</c> (GitHub, Gitea, Bitbucket).</summary>
    HmacSha256,

    /// <summary>The secret itself, sent as a token (GitLab's <c>X-Gitlab-Token</c>).</summary>
    Token,
}

/// <summary>
/// Checks a delivery's signature header against one application's secret, in constant time. An empty secret
/// never verifies anything (Coolify accepted one until 2026), and an HMAC header must name sha256: a
/// client-chosen weaker algorithm (<c>sha1=</c>) is refused rather than honoured.
/// </summary>
public static class WebhookSignature
{
    private const string Sha256Prefix = "sha256=";

    /// <summary>Why a header cannot verify with any secret, or null when it is well-formed.</summary>
    public static string? CheckFormat(SignatureScheme scheme, string header, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"Missing {header} header: configure the webhook's secret in the git provider.";
        }

        if (scheme == SignatureScheme.Token)
        {
            return value.Length <= 1024 ? null : $"The {header} header is too long.";
        }

        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return $"The {header} header must be sha256=<hex digest>.";
        }

        var algorithm = value[..equals];
        if (!string.Equals(algorithm, "sha256", StringComparison.OrdinalIgnoreCase))
        {
            var shown = algorithm.Length <= 16 && algorithm.All(char.IsAsciiLetterOrDigit) ? algorithm : "?";
            return $"Unsupported signature algorithm '{shown}' in {header}: only sha256 is accepted.";
        }

        return value.Length == Sha256Prefix.Length + 64 && value[Sha256Prefix.Length..].All(char.IsAsciiHexDigit)
            ? null
            : $"The {header} header must be sha256= followed by 64 hex digits.";
    }

    /// <summary>True only when <paramref name="secret"/> is not empty and the header proves the sender knows it.</summary>
    public static bool Verify(SignatureScheme scheme, ReadOnlySpan<byte> body, string? secret, string? value)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(value))
        {
            return false;
        }

        if (scheme == SignatureScheme.Token)
        {
            // Hash both sides first: FixedTimeEquals returns early on a length difference, which would leak the secret's length.
            return CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(secret)), SHA256.HashData(Encoding.UTF8.GetBytes(value)));
        }

        if (CheckFormat(scheme, "signature", value) is not null)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        var given = Convert.FromHexString(value.AsSpan(Sha256Prefix.Length));
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>The header value a provider would send for <paramref name="body"/> signed with <paramref name="secret"/> (used by tests and tools).</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        Sha256Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
