using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Slipway.Cli.Client;

/// <summary>
/// One deployment log entry as Coolify and Slipway write them. Coolify leaves <c>order</c> out of a log's first
/// entry, so it is optional here.
/// </summary>
internal sealed record LogEntry(string? Command, string? Output, string? Type, string? Timestamp, bool Hidden, int? Batch, int? Order)
{
    public const string Stderr = "stderr";
}

internal sealed record StatusEvent(string? Status);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(LogEntry))]
[JsonSerializable(typeof(List<LogEntry>))]
[JsonSerializable(typeof(StatusEvent))]
internal sealed partial class ClientJson : JsonSerializerContext
{
    private static JsonTypeInfo<LogEntry>? _entryOutput;

    /// <summary>Entries written back out (<c>--output json</c>) escaped as the server writes them: quotes and non-ASCII kept.</summary>
    public static JsonTypeInfo<LogEntry> EntryOutput => _entryOutput ??= (JsonTypeInfo<LogEntry>)new JsonSerializerOptions
    {
        TypeInfoResolver = Default,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }.GetTypeInfo(typeof(LogEntry));

    /// <summary>Coolify's <c>logs</c> value: a string holding a JSON array of entries (null or invalid: none).</summary>
    public static List<LogEntry> ParseLogs(string? logs)
    {
        if (string.IsNullOrWhiteSpace(logs))
        {
            return [];
        }

        try
        {
            var entries = JsonSerializer.Deserialize(logs, Default.ListLogEntry) ?? [];
            // Order by "order"; an entry without one (Coolify's first) is numbered by its position.
            return entries.Select((e, i) => e.Order is null ? e with { Order = i + 1 } : e).OrderBy(e => e.Order).ToList();
        }
        catch (JsonException ex)
        {
            throw new CliException($"The deployment's logs are not a JSON array of entries ({ex.Message}).", ExitCodes.Usage);
        }
    }
}
