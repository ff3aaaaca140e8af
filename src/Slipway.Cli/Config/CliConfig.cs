using System.Text.Json.Serialization;

namespace Slipway.Cli.Config;

/// <summary>The CLI's config file: named servers ("contexts") and which one commands use.</summary>
internal sealed class CliConfig
{
    public string? CurrentContext { get; set; }

    public SortedDictionary<string, ContextEntry> Contexts { get; set; } = new(StringComparer.Ordinal);
}

internal sealed record ContextEntry(string Url, string Token);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(CliConfig))]
internal sealed partial class CliConfigJson : JsonSerializerContext;
