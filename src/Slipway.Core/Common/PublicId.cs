using System.Security.Cryptography;

namespace Slipway.Core.Common;

/// <summary>
/// Public identifiers: 24 random characters from <c>[a-z0-9]</c>, as Coolify's <c>new_public_id()</c> produces.
/// </summary>
public static class PublicId
{
    public const int Length = 24;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>
    /// True when <paramref name="value"/> could be an id Slipway (or Coolify, whose older ids are cuid2 strings)
    /// handed out: short, lower-case letters and digits only. Anything else cannot exist, so callers answer 404
    /// without touching the database.
    /// </summary>
    public static bool IsPlausible(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 64)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9')))
            {
                return false;
            }
        }

        return true;
    }
}
