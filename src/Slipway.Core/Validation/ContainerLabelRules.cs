using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Core.Validation;

/// <summary>
/// Coolify's <c>custom_labels</c>: on the wire base64 of newline-separated <c>key=value</c> lines (Coolify answers
/// "The custom_labels should be base64 encoded." otherwise); stored decoded. Each label becomes one
/// <c>--label key=value</c> argument. Keys under <c>slipway.</c> are Slipway's own (how it finds, replaces and
/// prunes containers), so a user can neither set nor shadow them; Docker's reserved namespaces are refused too.
/// </summary>
public static partial class ContainerLabelRules
{
    public const int MaxLabels = 100;
    public const int MaxDecodedLength = 16 * 1024;
    public const int MaxValueLength = 1024;

    /// <summary>Namespaces nobody but their owner may write: Slipway's, and those Docker reserves for itself.</summary>
    public static readonly IReadOnlyList<string> ReservedPrefixes = ["slipway.", "com.docker.", "io.docker.", "org.dockerproject."];

    /// <summary>The labels text from the wire's base64; null with <paramref name="error"/> when it is not base64 of UTF-8 text.</summary>
    public static string? Decode(string value, out string? error)
    {
        error = null;
        if (value.Length > MaxDecodedLength * 2)
        {
            error = $"The custom_labels are too long (at most {MaxDecodedLength} bytes decoded).";
            return null;
        }

        var buffer = new byte[value.Length];
        if (!Convert.TryFromBase64String(value, buffer, out var written))
        {
            error = "The custom_labels should be base64 encoded (of one key=value label per line).";
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, written);
        }
        catch (DecoderFallbackException)
        {
            error = "The custom_labels should be base64 encoded (of one key=value label per line, UTF-8 text).";
            return null;
        }
    }

    public static string Encode(string labels) => Convert.ToBase64String(Encoding.UTF8.GetBytes(labels));

    /// <summary>The stored form: one <c>key=value</c> per line, blank lines and <c>\r</c> dropped; null when there are none.</summary>
    public static string? Normalize(string text)
    {
        var lines = Lines(text).ToList();
        return lines.Count == 0 ? null : string.Join('\n', lines);
    }

    /// <summary>Null when every line is a valid label; else a message naming the first bad line's problem.</summary>
    public static string? Check(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length > MaxDecodedLength)
        {
            return $"The custom_labels are too long (at most {MaxDecodedLength} characters decoded).";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var line in Lines(text))
        {
            if (++count > MaxLabels)
            {
                return $"The custom_labels hold at most {MaxLabels} labels.";
            }

            var (key, value) = Split(line);
            if (!Key().IsMatch(key))
            {
                return $"The custom_labels line {Show(line)} is not key=value: a key is letters, digits and . _ - / (starting and ending with a letter or digit, at most 128).";
            }

            if (ReservedPrefixes.FirstOrDefault(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase) || key.Equals(p[..^1], StringComparison.OrdinalIgnoreCase)) is { } reserved)
            {
                return $"The custom_labels may not set {Show(key)}: labels under {reserved}* are reserved ({(reserved == "slipway." ? "Slipway's own" : "Docker's")}).";
            }

            if (value.Length > MaxValueLength || value.Any(char.IsControl))
            {
                return $"The custom_labels value of {Show(key)} must be at most {MaxValueLength} characters without control characters.";
            }

            if (!seen.Add(key))
            {
                return $"The custom_labels set {Show(key)} twice.";
            }
        }

        return null;
    }

    /// <summary>The labels of checked text, in their order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string? text) =>
        text is null ? [] : [.. Lines(text).Select(Split).Select(l => KeyValuePair.Create(l.Key, l.Value))];

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !string.IsNullOrWhiteSpace(l));

    private static (string Key, string Value) Split(string line)
    {
        var equals = line.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (line.Trim(), string.Empty) : (line[..equals].Trim(), line[(equals + 1)..]);
    }

    private static string Show(string value) =>
        System.Text.Json.JsonSerializer.Serialize(value.Length > 60 ? value[..60] + "…" : value);

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9._/-]{0,126}[A-Za-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Key();
}
