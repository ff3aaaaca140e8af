namespace Slipway.Core.Proxy;

/// <summary><c>proxy_type</c> values, as Coolify spells them on the wire (upper case; requests are case-insensitive).</summary>
public static class ProxyTypes
{
    public const string None = "NONE";
    public const string Caddy = "CADDY";

    /// <summary>Coolify's other proxies: named in the 422 so a client learns they are not a typo but unsupported.</summary>
    public static readonly IReadOnlyList<string> Unsupported = ["TRAEFIK", "NGINX"];

    /// <summary>The stored spelling of <paramref name="value"/>, or null with <paramref name="error"/> saying why not.</summary>
    public static string? Normalize(string? value, out string? error)
    {
        var upper = value?.Trim().ToUpperInvariant();
        error = null;
        switch (upper)
        {
            case None or Caddy:
                return upper;
            case not null when Unsupported.Contains(upper, StringComparer.Ordinal):
                error = $"The proxy_type {upper} is not supported: Slipway runs Caddy (CADDY) or no proxy (NONE).";
                return null;
            default:
                error = "The proxy_type must be CADDY or NONE.";
                return null;
        }
    }
}
