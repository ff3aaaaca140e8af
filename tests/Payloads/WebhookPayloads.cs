using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Slipway.Core.Webhooks;

namespace Slipway.Testing.Webhooks;

/// <summary>
/// The real-shaped provider payloads in <c>tests/Payloads/webhooks</c> (written from the providers' documented
/// formats), loaded for a test to adjust, and deliveries built with each provider's own headers and signature.
/// </summary>
public static class WebhookPayloads
{
    public static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "webhooks", name + ".json")))!.AsObject();

    /// <summary>
    /// A payload about another repository: every URL and name of the sample repository <c>hello-web</c> is renamed,
    /// so tests sharing a database never deliver to each other's applications.
    /// </summary>
    public static JsonObject Load(string name, string repositoryName) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "webhooks", name + ".json"))
            .Replace("hello-web", repositoryName, StringComparison.Ordinal))!.AsObject();

    /// <summary>Sets the value at a dotted path (<c>pull_request.head.sha</c>, <c>commits.0.modified</c>).</summary>
    public static JsonObject Set(this JsonObject payload, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        JsonNode current = payload;
        foreach (var part in parts[..^1])
        {
            current = int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? current[index]! : current[part]!;
        }

        var last = parts[^1];
        if (int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var at))
        {
            current[at] = value;
        }
        else
        {
            current[last] = value;
        }

        return payload;
    }

    public static byte[] Bytes(this JsonObject payload) => Encoding.UTF8.GetBytes(payload.ToJsonString());

    /// <summary>
    /// A delivery as <paramref name="provider"/> sends it: event and delivery-id headers, and the signature made with
    /// <paramref name="secret"/> (none when it is null).
    /// </summary>
    public static HttpRequestMessage Delivery(string provider, string eventName, byte[] body, string? secret, string? deliveryId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/source/{provider}/events/manual") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        deliveryId ??= Guid.NewGuid().ToString();
        var headers = request.Headers;
        switch (provider)
        {
            case GitProviders.GitHub:
                headers.Add("User-Agent", "GitHub-Hookshot/1e2a3b4");
                headers.Add("X-GitHub-Event", eventName);
                headers.Add("X-GitHub-Delivery", deliveryId);
                headers.Add("X-GitHub-Hook-ID", "109948940");
                AddIf(headers, "X-Hub-Signature-256", secret is null ? null : WebhookSignature.Sign(body, secret));
                break;
            case GitProviders.GitLab:
                headers.Add("User-Agent", "GitLab/18.6.0");
                headers.Add("X-Gitlab-Event", eventName);
                headers.Add("X-Gitlab-Event-UUID", deliveryId);
                headers.Add("X-Gitlab-Instance", "https://gitlab.example.com");
                AddIf(headers, "X-Gitlab-Token", secret);
                break;
            case GitProviders.Gitea:
                headers.Add("X-Gitea-Event", eventName);
                headers.Add("X-Gitea-Event-Type", eventName);
                headers.Add("X-Gitea-Delivery", deliveryId);
                AddIf(headers, "X-Hub-Signature-256", secret is null ? null : WebhookSignature.Sign(body, secret));
                AddIf(headers, "X-Gitea-Signature", secret is null ? null : WebhookSignature.Sign(body, secret)["sha256=".Length..]);
                break;
            case GitProviders.Bitbucket:
                headers.Add("User-Agent", "Bitbucket-Webhooks/2.0");
                headers.Add("X-Event-Key", eventName);
                headers.Add("X-Request-UUID", deliveryId);
                headers.Add("X-Hook-UUID", "{b9a4c1e2-6d1f-4c9a-9d0e-2f3a4b5c6d7e}");
                AddIf(headers, "X-Hub-Signature", secret is null ? null : WebhookSignature.Sign(body, secret));
                break;
            default:
                throw new ArgumentException($"Unknown provider {provider}.", nameof(provider));
        }

        return request;
    }

    private static void AddIf(HttpRequestHeaders headers, string name, string? value)
    {
        if (value is not null)
        {
            headers.TryAddWithoutValidation(name, value);
        }
    }
}
