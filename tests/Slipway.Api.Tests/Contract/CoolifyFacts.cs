using System.Text.Json;

namespace Slipway.Api.Tests.Contract;

/// <summary>
/// The facts of Coolify's OpenAPI document (paths, methods, parameters, schemas, status codes; no prose) as
/// <c>eng/coolify-facts.cs</c> wrote them into <c>tests/Contract/coolify-facts.json</c>, which the build copies
/// next to the tests. Nothing outside the repository is read.
/// </summary>
internal static class CoolifyFacts
{
    public const string FileName = "coolify-facts.json";

    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllBytes(Path)));

    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "Contract", FileName);

    public static JsonElement Root => Document.Value.RootElement;

    public static JsonElement Schema(string name) => Root.GetProperty("schemas").GetProperty(name);

    /// <summary>Coolify's operation, keyed as the facts file keys it: <c>"GET /deployments/{uuid}"</c>.</summary>
    public static JsonElement Operation(string key) => Root.GetProperty("operations").GetProperty(key);

    public static IEnumerable<(string Key, JsonElement Operation)> Operations() =>
        Root.GetProperty("operations").EnumerateObject().Select(p => (p.Name, p.Value));
}
