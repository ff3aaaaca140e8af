using System.Net;
using System.Text;
using System.Text.Json;

namespace Slipway.Api.Tests.Fixtures;

/// <summary>
/// Throws malformed, oddly typed, huge and hostile bodies at an endpoint: whatever it answers, it must answer
/// quickly, below 500 and in Coolify's JSON shape.
/// </summary>
public static class HostileInput
{
    private static readonly string[] Bodies =
    [
        "null", "[]", "\"text\"", "42", "true", "{", "{\"a\":}", "{'single':'quotes'}", "\u0000", "{}{}",
        "{\"x\":" + string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100)) + "}",
    ];

    /// <summary>Every JSON kind, and strings that break naive code: huge, NUL, quotes, traversal, unicode.</summary>
    private static readonly string[] Values =
    [
        "null", "true", "0", "-1", "1.5", "1e400", "99999999999999999999", "[]", "[\"a\"]", "{}", "{\"k\":\"v\"}",
        "\"\"", "\" \"", "\"\\u0000\"", "\"%00\"", "\"../../../etc/passwd\"", "\"'; DROP TABLE servers; --\"",
        "\"\\\"quoted\\\"\"", "\"ünïcødé 🚀 \\u202e\"", "\"$(reboot)\"", "\"a\\nb\\rc\"",
        JsonSerializer.Serialize(new string('x', 300_000)),
    ];

    public static async Task AssertNever5xxAsync(HttpClient client, HttpMethod method, string url, IEnumerable<string> fields)
    {
        foreach (var body in Bodies)
        {
            await SendAsync(client, method, url, body);
        }

        foreach (var field in fields)
        {
            foreach (var value in Values)
            {
                await SendAsync(client, method, url, $"{{\"{field}\":{value}}}");
            }
        }

        await SendAsync(client, method, url, "{\"name\":\"" + new string('y', 2 * 1024 * 1024) + "\"}");
    }

    private static async Task SendAsync(HttpClient client, HttpMethod method, string url, string body)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        using var request = new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(request, timeout.Token);
        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        var shown = body.Length > 120 ? body[..120] + "..." : body;
        Assert.True((int)response.StatusCode < 500, $"{method} {url} with {shown} answered {(int)response.StatusCode}: {text}");
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created))
        {
            Assert.True(JsonDocument.Parse(text).RootElement.TryGetProperty("message", out _), $"{method} {url} with {shown}: no message in {text}");
        }
    }
}
