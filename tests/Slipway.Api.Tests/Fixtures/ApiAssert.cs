using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Slipway.Api.Tests.Fixtures;

/// <summary>Sending requests and asserting real HTTP answers: status, media type, exact bodies and Coolify's error shapes.</summary>
public static class ApiAssert
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the status and an <c>application/json</c> body; returns the raw body.</summary>
    public static async Task<string> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(
            response.StatusCode == status,
            $"Expected {(int)status} but got {(int)response.StatusCode} for {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {Shorten(body)}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    public static async Task<JsonElement> JsonElementAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await JsonAsync(response, status);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts the status and Coolify's error body exactly: <c>{"message":"..."}</c> and nothing else.</summary>
    public static async Task MessageAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        var body = await JsonAsync(response, status);
        Assert.Equal(MessageBody(message), body);
    }

    public static string MessageBody(string message) => "{\"message\":" + JsonSerializer.Serialize(message) + "}";

    /// <summary>Asserts a 422 <c>Validation failed.</c> naming <paramref name="field"/>; returns that field's messages.</summary>
    public static async Task<string[]> ValidationAsync(HttpResponseMessage response, string field)
    {
        var root = await JsonElementAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Validation failed.", root.GetProperty("message").GetString());
        Assert.True(root.GetProperty("errors").TryGetProperty(field, out var messages), $"No error for '{field}': {root}");
        return messages.EnumerateArray().Select(m => m.GetString()!).ToArray();
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Sends <paramref name="body"/> serialised as JSON.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, Ct);

    /// <summary>Sends <paramref name="json"/> exactly as written.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, Json(json), Ct);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object body) =>
        client.PatchAsJsonAsync(url, body, Ct);

    public static Task<HttpResponseMessage> PostEmptyAsync(this HttpClient client, string path) =>
        client.PostAsync(path, content: null, Ct);

    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string path) => client.GetAsync(path, Ct);

    /// <summary>Sends <paramref name="json"/> exactly as written (for malformed or oddly typed bodies).</summary>
    public static Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string url, string json) =>
        client.SendAsync(new HttpRequestMessage(method, url) { Content = Json(json) }, Ct);

    /// <summary>The names of an object's properties in wire order.</summary>
    public static List<string> Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();

    private static string Shorten(string body) => body.Length > 600 ? body[..600] + "…" : body;
}
