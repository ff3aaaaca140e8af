using System.Text.Json;

namespace Slipway.Api.Http;

/// <summary>
/// Reads a JSON request body strictly: malformed JSON (or not an object) is a 400 and an oversized body a 413.
/// <see cref="Fields.WireBody{T}"/> reads the fields of the object against a request's field set.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 1024 * 1024;
    public const string NotAllowed = "This field is not allowed.";
    public const string NotSupported = "This field is not supported by Slipway.";

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

    public static async Task<(JsonDocument? Document, BodyRejected? Failure)> ParseAsync(HttpRequest request, CancellationToken cancellationToken)
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
                return (null, BodyRejected.Malformed("The request body must be a JSON object."));
            }

            if (!HasDecodableText(document.RootElement))
            {
                document.Dispose();
                return (null, BodyRejected.Malformed("Invalid JSON in the request body."));
            }

            return (document, null);
        }
        catch (JsonException)
        {
            return (null, BodyRejected.Malformed("Invalid JSON in the request body."));
        }
    }

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

    private static BodyRejected TooLarge() => BodyRejected.TooLarge($"The request body is larger than {MaxBytes / 1024} KB.");
}
