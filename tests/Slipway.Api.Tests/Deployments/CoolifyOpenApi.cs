using System.Text.Json;

namespace Slipway.Api.Tests.Deployments;

/// <summary>
/// Coolify's OpenAPI document, read at test time from <c>../shared/reference/coolify-openapi.json</c> next to the
/// repository (the directory holding <c>Slipway.slnx</c>). A missing file fails the test; it is never skipped.
/// </summary>
internal static class CoolifyOpenApi
{
    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllText(Locate())));

    public static JsonElement Schema(string name) =>
        Document.Value.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(name);

    public static string Locate()
    {
        var start = AppContext.BaseDirectory;
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Slipway.slnx")))
            {
                var path = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "reference", "coolify-openapi.json"));
                return File.Exists(path)
                    ? path
                    : throw new FileNotFoundException($"The contract is missing: expected Coolify's OpenAPI document at {path}.", path);
            }
        }

        throw new DirectoryNotFoundException($"No directory containing Slipway.slnx above {start}; cannot find the Coolify contract.");
    }
}
