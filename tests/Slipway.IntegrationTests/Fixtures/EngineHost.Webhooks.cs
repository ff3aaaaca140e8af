using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Slipway.Testing.Webhooks;

namespace Slipway.IntegrationTests.Fixtures;

/// <summary>Git webhooks against the real receiver: payloads that name only local repositories, signed and posted like a provider does.</summary>
public partial class EngineHost
{
    /// <summary>
    /// A sample payload (<c>tests/Payloads/webhooks</c>) whose every URL — clone, ssh, html, api — is replaced by the
    /// local repository's <c>file://</c> URL, so nothing in it names a host other than this machine.
    /// </summary>
    public static JsonObject LocalPayload(string name, GitRepository repository)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "webhooks", name + ".json"));
        var local = RemoteUrl().Replace(text, "\"" + repository.Url + "\"");
        return JsonNode.Parse(local)!.AsObject();
    }

    /// <summary>
    /// Posts <paramref name="payload"/> to <c>/webhooks/source/{provider}/events/manual</c> with the provider's headers
    /// and a signature made with <paramref name="secret"/>; returns the status and the answer.
    /// </summary>
    public async Task<(int Status, JsonNode Body)> DeliverAsync(string provider, string eventName, JsonObject payload, string secret)
    {
        using var client = CreateClient();
        using var request = WebhookPayloads.Delivery(provider, eventName, payload.Bytes(), secret);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!);
    }

    /// <summary>The uuid of the one deployment a delivery queued for the one application it reached.</summary>
    public static string QueuedDeployment((int Status, JsonNode Body) delivery)
    {
        var result = delivery.Body["results"]?.AsArray().SingleOrDefault();
        Assert.True(delivery.Status == 200 && result?["result"]?.GetValue<string>() == "queued", $"{delivery.Status}: {delivery.Body.ToJsonString()}");
        return result!["deployment_uuids"]![0]!.GetValue<string>();
    }

    [GeneratedRegex("\"(?:https?://|git://|git@)[^\"]*\"")]
    private static partial Regex RemoteUrl();

    public async Task<JsonNode> GetAsync(string route)
    {
        using var api = Api();
        using var response = await api.GetAsync(route, TestContext.Current.CancellationToken);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.True(response.IsSuccessStatusCode, $"{route}: {(int)response.StatusCode} {json.ToJsonString()}");
        return json;
    }
}
