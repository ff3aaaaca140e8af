using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Slipway.Api.Dashboard;

/// <summary>
/// The dashboard's stylesheet and its one script, embedded in this assembly (so <c>slipway serve</c> needs no
/// web root and loads nothing from elsewhere) and served at <c>/_slipway/{name}?v={hash}</c>: the hash in the
/// URL lets browsers keep them for a year, and changes whenever a file does.
/// </summary>
public sealed class DashboardAssets
{
    public const string Prefix = "/_slipway/";

    private readonly FrozenDictionary<string, Asset> _assets;

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        const string resourcePrefix = "Slipway.Api.Dashboard.Assets.";
        _assets = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(resourcePrefix, StringComparison.Ordinal))
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var bytes = copy.ToArray();
                var name = n[resourcePrefix.Length..];
                var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
                var type = name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8"
                    : name.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8"
                    : "image/svg+xml";
                return new Asset(name, bytes, hash, type);
            })
            .ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
    }

    /// <summary>The URL of an asset, with its content hash.</summary>
    public string Url(string name) => $"{Prefix}{name}?v={_assets[name].Hash}";

    public IResult Serve(HttpContext http, string name)
    {
        if (!_assets.TryGetValue(name, out var asset))
        {
            return Results.NotFound();
        }

        var etag = $"\"{asset.Hash}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = http.Request.Query["v"] == asset.Hash ? "public, max-age=31536000, immutable" : "no-cache";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return http.Request.Headers.IfNoneMatch == etag
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private sealed record Asset(string Name, byte[] Bytes, string Hash, string ContentType);
}
