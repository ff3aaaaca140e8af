using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Slipway.Core.Common;

namespace Slipway.Core.Deployments;

/// <summary>
/// Renders log rows as Coolify's legacy <c>logs</c> value: a string holding a JSON array of
/// <c>{command, output, type, timestamp, hidden, batch, order}</c> objects, in that key order.
/// </summary>
public static class DeploymentLogRenderer
{
    /// <summary>How entries are written: relaxed escaping (Coolify's logs hold text as it was printed).</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static string Render(IEnumerable<DeploymentLogEntry> entries)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var entry in entries)
            {
                WriteEntry(writer, entry);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void WriteEntry(Utf8JsonWriter writer, DeploymentLogEntry entry)
    {
        writer.WriteStartObject();
        if (entry.Command is null)
        {
            writer.WriteNull("command");
        }
        else
        {
            writer.WriteString("command", entry.Command);
        }

        writer.WriteString("output", entry.Output);
        writer.WriteString("type", entry.Type);
        writer.WriteString("timestamp", Timestamps.ToWire(entry.Timestamp));
        writer.WriteBoolean("hidden", entry.Hidden);
        writer.WriteNumber("batch", entry.Batch);
        writer.WriteNumber("order", entry.Order);
        writer.WriteEndObject();
    }
}
