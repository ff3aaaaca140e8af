using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Slipway.Api.Http;
using Slipway.Core.Webhooks;

namespace Slipway.Api.Features.Webhooks;

/// <summary>
/// Reads a delivery exactly as sent: the raw bytes (the signature covers them, so nothing may be re-encoded first),
/// capped in size, then the JSON payload — sent as the body, or as the <c>payload</c> form field when the hook
/// is configured for <c>application/x-www-form-urlencoded</c> (GitHub and Gitea offer both).
/// </summary>
internal static class WebhookBody
{
    public const int MaxBytes = 5 * 1024 * 1024;

    /// <summary>The body, or null when it is larger than <see cref="MaxBytes"/>.</summary>
    public static Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken cancellationToken) =>
        JsonBody.ReadCappedAsync(request, MaxBytes, cancellationToken);

    public static (JsonDocument? Document, string? Problem) Parse(byte[] body, string? contentType)
    {
        var json = body;
        if (contentType is not null && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
            if (!form.TryGetValue("payload", out var payload) || payload.Count != 1)
            {
                return (null, "A form-encoded delivery must carry its JSON in one 'payload' field.");
            }

            json = Encoding.UTF8.GetBytes(payload.ToString());
        }

        try
        {
            var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return (document, null);
            }

            document.Dispose();
            return (null, "The payload must be a JSON object.");
        }
        catch (JsonException)
        {
            return (null, "The payload is not valid JSON.");
        }
    }

    /// <summary>The provider's delivery id (printable, at most 128 characters), else a hash of the body: a redelivery sends the same bytes.</summary>
    public static string DeliveryId(GitProvider provider, HttpRequest request, byte[]? body)
    {
        var header = request.Headers[provider.DeliveryHeader].ToString().Trim();
        if (header.Length is > 0 and <= 128 && header.All(c => c is > ' ' and < '\u007f'))
        {
            return header;
        }

        return body is null ? "unknown" : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
    }

    /// <summary>A header for the record: bounded and printable, or null.</summary>
    public static string? Header(HttpRequest request, string name)
    {
        var value = request.Headers[name].ToString().Trim();
        return value.Length is > 0 and <= 128 && value.All(c => c is >= ' ' and < '\u007f') ? value : null;
    }
}
