using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slipway.Api.Http;

/// <summary>
/// Reads a JSON request body strictly: a field the request type does not declare is a 422 naming it, a value of
/// the wrong JSON type is a 422 naming it, malformed JSON is a 400 and an oversized body a 413. Nothing reaches a
/// handler unless every field was understood. The fields present are returned too, so PATCH changes only those.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 1024 * 1024;
    public const string NotAllowed = "This field is not allowed.";
    public const string NotSupported = "This field is not supported by Slipway.";

    private static readonly ConcurrentDictionary<Type, Dictionary<string, PropertyInfo>> Maps = new();

    public static async Task<BodyResult<T>> ReadAsync<T>(
        HttpRequest request, IReadOnlySet<string>? unsupported, CancellationToken cancellationToken)
        where T : class, new()
    {
        var (document, failure) = await ParseAsync(request, cancellationToken);
        if (failure is not null)
        {
            return BodyResult<T>.Fail(failure);
        }

        using (document)
        {
            return Bind<T>(document?.RootElement, unsupported);
        }
    }

    /// <summary>The request body as sent, or null when it is larger than <paramref name="maxBytes"/> (declared or actual).</summary>
    public static async Task<byte[]?> ReadCappedAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static async Task<(JsonDocument? Document, IResult? Failure)> ParseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (await ReadCappedAsync(request, MaxBytes, cancellationToken) is not { } body)
        {
            return (null, TooLarge());
        }

        if (body.All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
        {
            return (null, null);
        }

        try
        {
            var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                return (null, ApiResults.BadRequest("The request body must be a JSON object."));
            }

            if (!HasDecodableText(document.RootElement))
            {
                document.Dispose();
                return (null, ApiResults.BadRequest("Invalid JSON in the request body."));
            }

            return (document, null);
        }
        catch (JsonException)
        {
            return (null, ApiResults.BadRequest("Invalid JSON in the request body."));
        }
    }

    public static BodyResult<T> Bind<T>(JsonElement? root, IReadOnlySet<string>? unsupported)
        where T : class, new()
    {
        var value = new T();
        var present = new HashSet<string>(StringComparer.Ordinal);
        if (root is null)
        {
            return BodyResult<T>.Ok(value, present);
        }

        var map = Maps.GetOrAdd(typeof(T), BuildMap);
        var errors = new ValidationErrors();
        foreach (var property in root.Value.EnumerateObject())
        {
            var name = property.Name;
            if (!map.TryGetValue(name, out var target))
            {
                errors.Add(name, unsupported is not null && unsupported.Contains(name) ? NotSupported : NotAllowed);
                continue;
            }

            present.Add(name);
            if (!TryConvert(property.Value, target.PropertyType, out var converted))
            {
                errors.Add(name, $"The {name} field must be {Describe(target.PropertyType)}.");
                continue;
            }

            target.SetValue(value, converted);
        }

        return errors.HasErrors ? BodyResult<T>.Fail(errors.ToResult()) : BodyResult<T>.Ok(value, present);
    }

    private static bool TryConvert(JsonElement element, Type type, out object? value)
    {
        value = null;
        var underlying = Nullable.GetUnderlyingType(type);
        if (element.ValueKind == JsonValueKind.Null)
        {
            // Null is accepted where the request type allows it; reference types in requests are all nullable.
            return underlying is not null || !type.IsValueType;
        }

        var kindMatches = (underlying ?? type) switch
        {
            var t when t == typeof(string) => element.ValueKind == JsonValueKind.String,
            var t when t == typeof(bool) => element.ValueKind is JsonValueKind.True or JsonValueKind.False,
            var t when t == typeof(int) || t == typeof(long) => element.ValueKind == JsonValueKind.Number,
            var t when t == typeof(string[]) => element.ValueKind == JsonValueKind.Array,
            var t when t == typeof(JsonElement) => true,
            _ => element.ValueKind == JsonValueKind.Object,
        };
        if (!kindMatches)
        {
            return false;
        }

        try
        {
            value = element.Deserialize(type, SlipwayJson.Options);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException or InvalidOperationException)
        {
            return false;
        }
    }

    private static string Describe(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => "a string",
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(int) || t == typeof(long) => "an integer",
        var t when t == typeof(string[]) => "an array of strings",
        _ => "an object",
    };

    private static Dictionary<string, PropertyInfo> BuildMap(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(
                p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name),
                p => p,
                StringComparer.Ordinal);

    // JsonDocument checks structure only: invalid UTF-8 or a lone surrogate escape (\ud800) inside a string or a
    // property name surfaces later, as an InvalidOperationException from GetString() or Name, i.e. a 500 in
    // whichever handler reads it first. Decoding every string once here makes such a body a 400 like other bad JSON.
    private static bool HasDecodableText(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        _ = property.Name;
                        if (!HasDecodableText(property.Value))
                        {
                            return false;
                        }
                    }

                    return true;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        if (!HasDecodableText(item))
                        {
                            return false;
                        }
                    }

                    return true;
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static IResult TooLarge() =>
        ApiResults.Error(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {MaxBytes / 1024} KB.");
}

/// <summary>A bound request body, or the error answer to send instead.</summary>
public sealed class BodyResult<T>
    where T : class
{
    private BodyResult(T? value, IReadOnlySet<string> present, IResult? failure)
    {
        Value = value;
        Present = present;
        Failure = failure;
    }

    public T? Value { get; }

    /// <summary>The fields the caller sent (for PATCH).</summary>
    public IReadOnlySet<string> Present { get; }

    public IResult? Failure { get; }

    public bool Has(string field) => Present.Contains(field);

    public static BodyResult<T> Ok(T value, IReadOnlySet<string> present) => new(value, present, null);

    public static BodyResult<T> Fail(IResult failure) => new(null, new HashSet<string>(), failure);
}
