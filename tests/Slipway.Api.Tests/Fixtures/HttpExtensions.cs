using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slipway.Api.Tests.Fixtures;

public static class HttpExtensions
{
    public static Task<HttpResponseMessage> PostBodyAsync(this HttpClient client, string url, object body) =>
        client.PostAsync(url, JsonContent(body), TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> PatchBodyAsync(this HttpClient client, string url, object body) =>
        client.PatchAsync(url, JsonContent(body), TestContext.Current.CancellationToken);

    public static StringContent JsonContent(object body) =>
        new(body is string s ? s : JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static async Task<JsonNode> NodeAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
        ?? throw new InvalidOperationException("Empty body.");

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.NodeAsync();
    }

    /// <summary>The field names of a 422 body's <c>errors</c>.</summary>
    public static async Task<string[]> ErrorFieldsAsync(this HttpResponseMessage response)
    {
        var json = await response.NodeAsync();
        return json["errors"]!.AsObject().Select(p => p.Key).Order().ToArray();
    }

    public static Task<T?> ReadAsAsync<T>(this HttpResponseMessage response) =>
        response.Content.ReadFromJsonAsync<T>(TestContext.Current.CancellationToken);
}
