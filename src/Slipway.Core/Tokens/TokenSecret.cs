using System.Security.Cryptography;
using System.Text;

namespace Slipway.Core.Tokens;

/// <summary>Generates, hashes and parses Sanctum-style tokens: <c>{id}|{secret}</c>.</summary>
public static class TokenSecret
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const int MaxPresentedLength = 256;

    /// <summary>48 random alphanumerics (Sanctum uses 40 plus an 8-character checksum; the length matches).</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, 48);

    /// <summary>Lower-case hex SHA-256 of the secret: all that is stored.</summary>
    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string Format(long id, string secret) => $"{id}|{secret}";

    /// <summary>
    /// Splits a presented token. Like Sanctum, the part before <c>|</c> must be all digits; anything malformed
    /// is simply not a token.
    /// </summary>
    public static bool TryParse(string? presented, out long id, out string secret)
    {
        id = 0;
        secret = string.Empty;
        if (string.IsNullOrEmpty(presented) || presented.Length > MaxPresentedLength)
        {
            return false;
        }

        var bar = presented.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0 || bar == presented.Length - 1 || bar > 18)
        {
            return false;
        }

        foreach (var c in presented.AsSpan(0, bar))
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        if (!long.TryParse(presented.AsSpan(0, bar), out id))
        {
            return false;
        }

        secret = presented[(bar + 1)..];
        return true;
    }

    /// <summary>Constant-time comparison of a presented secret with a stored hash.</summary>
    public static bool Matches(string secret, string storedHash)
    {
        var presentedHash = Encoding.ASCII.GetBytes(Hash(secret));
        var stored = Encoding.ASCII.GetBytes(storedHash);
        return CryptographicOperations.FixedTimeEquals(presentedHash, stored);
    }
}
