using System.Text.Json;

namespace Slipway.Core.Webhooks;

/// <summary>
/// Reads values out of an untrusted payload without ever throwing: a missing key, a value of the wrong JSON type
/// or an undecodable string is simply absent. Strings are bounded so a hostile payload cannot inflate a record.
/// </summary>
internal static class PayloadJson
{
    public const int MaxText = 2000;
    public const int MaxFiles = 10_000;

    public static JsonElement? Element(this JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var key in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(key, out current))
            {
                return null;
            }
        }

        return current;
    }

    public static string? Text(this JsonElement element, params string[] path)
    {
        if (element.Element(path) is not { ValueKind: JsonValueKind.String } value)
        {
            return null;
        }

        try
        {
            var text = value.GetString();
            return text is null || text.Length <= MaxText ? text : text[..MaxText];
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape (\ud800) cannot be decoded: treat the value as absent.
            return null;
        }
    }

    /// <summary>An integer, also when the provider sends it as a string (ids in some payloads).</summary>
    public static long? Integer(this JsonElement element, params string[] path) => element.Element(path) switch
    {
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var value) => value,
        { ValueKind: JsonValueKind.String } s when long.TryParse(element.Text(path), out var parsed) => parsed,
        _ => null,
    };

    public static bool Flag(this JsonElement element, params string[] path) => element.Element(path)?.ValueKind == JsonValueKind.True;

    public static IEnumerable<JsonElement> Items(this JsonElement element, params string[] path) =>
        element.Element(path) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>The distinct strings found under <paramref name="keys"/> of every commit (added/modified/removed files).</summary>
    public static IReadOnlyList<string> Files(IEnumerable<JsonElement> commits, params string[] keys)
    {
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var commit in commits)
        {
            foreach (var key in keys)
            {
                foreach (var item in commit.Items(key).Where(i => i.ValueKind == JsonValueKind.String))
                {
                    if (files.Count < MaxFiles && SafeString(item) is { } file && seen.Add(file))
                    {
                        files.Add(file);
                    }
                }
            }
        }

        return files;
    }

    public static string? Branch(string? reference) =>
        reference is not null && reference.StartsWith("refs/heads/", StringComparison.Ordinal) ? reference["refs/heads/".Length..] : null;

    /// <summary>Git's all-zero object name: the "after" of a deleted branch.</summary>
    public static bool IsZeroSha(string? sha) => sha is { Length: > 0 } && sha.All(c => c == '0');

    public static int PullRequestNumber(long? value) => value is > 0 and <= int.MaxValue ? (int)value.Value : 0;

    public static IReadOnlyList<string> Urls(params string?[] urls) =>
        urls.Where(u => !string.IsNullOrEmpty(u)).Select(u => u!).Distinct(StringComparer.Ordinal).ToList();

    private static string? SafeString(JsonElement item)
    {
        try
        {
            return item.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
