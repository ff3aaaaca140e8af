using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Slipway.Api.Tests.Fixtures;

/// <summary>Reading answers and checking Coolify's error bodies, shared by the endpoint tests.</summary>
public static class ApiAssert
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the status and the exact <c>{"message": ...}</c> body.</summary>
    public static async Task MessageAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(message, JsonDocument.Parse(body).RootElement.GetProperty("message").GetString());
    }

    /// <summary>Asserts a 422 <c>Validation failed.</c> naming <paramref name="field"/>; returns that field's messages.</summary>
    public static async Task<string[]> ValidationAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"Expected 422, got {(int)response.StatusCode}: {body}");
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Validation failed.", root.GetProperty("message").GetString());
        Assert.True(root.GetProperty("errors").TryGetProperty(field, out var messages), $"No error for '{field}': {body}");
        return messages.EnumerateArray().Select(m => m.GetString()!).ToArray();
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object body) =>
        client.PatchAsJsonAsync(url, body, TestContext.Current.CancellationToken);

    /// <summary>Sends <paramref name="json"/> exactly as written (for malformed or oddly typed bodies).</summary>
    public static Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string url, string json) =>
        client.SendAsync(
            new HttpRequestMessage(method, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") },
            TestContext.Current.CancellationToken);
}
