using System.Net;
using System.Text;
using System.Text.Json;

namespace Slipway.Api.Tests.Deployments;

/// <summary>Assertions on real HTTP answers: status, media type and exact bodies.</summary>
internal static class ApiAssert
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

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

    /// <summary>Asserts Coolify's error body exactly: <c>{"message":"..."}</c> and nothing else.</summary>
    public static async Task MessageAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        var body = await JsonAsync(response, status);
        Assert.Equal(MessageBody(message), body);
    }

    public static string MessageBody(string message) => "{\"message\":" + JsonSerializer.Serialize(message) + "}";

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, Json(json), Ct);

    public static Task<HttpResponseMessage> PostEmptyAsync(this HttpClient client, string path) =>
        client.PostAsync(path, content: null, Ct);

    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string path) => client.GetAsync(path, Ct);

    /// <summary>The names of an object's properties in wire order.</summary>
    public static List<string> Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();

    private static string Shorten(string body) => body.Length > 600 ? body[..600] + "…" : body;
}
