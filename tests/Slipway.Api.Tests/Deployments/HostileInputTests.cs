using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Deployments;

/// <summary>
/// Nasty path segments, query strings and bodies on every deployment route: each must be answered with a 4xx
/// and a JSON body, promptly — never a 5xx, an HTML page or a hang.
/// </summary>
public sealed class HostileInputTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly string[] Routes =
    [
        "GET /api/v1/deployments/{x}",
        "POST /api/v1/deployments/{x}/cancel",
        "GET /api/v1/deployments/applications/{x}",
        "GET /api/v1/deployments/{x}/logs",
        "DELETE /api/v1/applications/{x}/git-host-key",
        "GET /api/v1/applications/{x}/webhook-deliveries/refused",
    ];

    private static readonly Dictionary<string, string> Segments = new()
    {
        ["10,000 chars"] = new string('a', 10_000),
        ["10,000 chars of %"] = string.Concat(Enumerable.Repeat("%25", 3_400)),
        ["NUL"] = "%00",
        ["NUL inside"] = "abcdefghijkl%00mnopqrstuvwx",
        ["encoded dot-dot-slash"] = "%2e%2e%2f",
        ["traversal"] = "..%2F..%2F..%2Fetc%2Fpasswd",
        ["unicode"] = Uri.EscapeDataString("ünïcødé-🚀-ｕｕｉｄ"),
        ["right-to-left override"] = Uri.EscapeDataString("\u202Eabc"),
        ["quotes"] = Uri.EscapeDataString("\"'`"),
        ["sql"] = Uri.EscapeDataString("' OR '1'='1' --"),
        ["shell"] = Uri.EscapeDataString("$(id);`id`|id"),
        ["crlf"] = Uri.EscapeDataString("x\r\nX-Injected: 1"),
        ["invalid utf-8"] = "%ff%fe%c0%af",
        ["html"] = Uri.EscapeDataString("<script>alert(1)</script>"),
        ["upper-case id"] = "ABCDEFGHIJKLMNOPQRSTUVWX",
        ["negative number"] = "-1",
        ["json"] = Uri.EscapeDataString("{\"$ne\":null}"),
    };

    public static TheoryData<string, string> RoutesAndSegments()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in Routes)
        {
            foreach (var segment in Segments.Keys)
            {
                data.Add(route, segment);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoutesAndSegments))]
    public async Task Request_HostilePathSegment_Returns4xxJson(string route, string segment)
    {
        var (method, template) = Split(route);
        var token = await (await Tenant.CreateAsync(factory)).TokenAsync(ApiAbility.Root);
        var path = template.Replace("{x}", Segments[segment], StringComparison.Ordinal);

        if (path.Contains("%00", StringComparison.Ordinal))
        {
            // HttpClient cannot carry %00 into the in-memory server: its URL decoder refuses it on the client side
            // (Kestrel answers such a request line with a bare 400 before the app runs). Hand the app the decoded
            // NUL directly, which is what it would see if anything let it through.
            await AssertRawPathAsync(method, Uri.UnescapeDataString(path), token);
            return;
        }

        var response = await SendAsync(factory.ClientWith(token), new HttpRequestMessage(method, path));

        await Assert4xxJsonAsync(response);
    }

    [Theory]
    [InlineData("/api/v1/deploy?uuid=" + "aaaaaaaaaa" + "{10000}")]
    [InlineData("/api/v1/deploy?tag={10000}")]
    [InlineData("/api/v1/deploy?uuid=%00")]
    [InlineData("/api/v1/deploy?tag=%00")]
    [InlineData("/api/v1/deploy?tag=%ff%fe")]
    [InlineData("/api/v1/deploy?tag=%27%20OR%201%3D1%20--")]
    [InlineData("/api/v1/deploy?uuid=abcdefghijklmnopqrstuvwx&pr=%00")]
    [InlineData("/api/v1/deploy?uuid=abcdefghijklmnopqrstuvwx&force=%00")]
    [InlineData("/api/v1/deploy?uuid=abcdefghijklmnopqrstuvwx&pr=1&docker_tag=%24(id)")]
    [InlineData("/api/v1/deploy?uuid=abcdefghijklmnopqrstuvwx&pr=1&docker_tag={10000}")]
    [InlineData("/api/v1/deploy?uuid[]=a&tag[]=b")]
    [InlineData("/api/v1/deploy?uuid=..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/api/v1/deployments/applications/abcdefghijklmnopqrstuvwx?skip=%00")]
    [InlineData("/api/v1/deployments/applications/abcdefghijklmnopqrstuvwx?take={10000}")]
    [InlineData("/api/v1/deployments/applications/abcdefghijklmnopqrstuvwx?take=1e9")]
    [InlineData("/api/v1/deployments/applications/abcdefghijklmnopqrstuvwx?take=2147483647")]
    [InlineData("/api/v1/deployments/applications/abcdefghijklmnopqrstuvwx?take=100000000000000000000")]
    [InlineData("/api/v1/deployments/applications/abcdefghijklmnopqrstuvwx?take=101&take=102")]
    [InlineData("/api/v1/deployments/applications/abcdefghijklmnopqrstuvwx?skip=-2147483648")]
    public async Task Request_HostileQueryString_Returns4xxJson(string path)
    {
        var client = await RootOfNewTenantAsync();
        var method = path.StartsWith("/api/v1/deploy?", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get;

        var response = await SendAsync(client, new HttpRequestMessage(method, path.Replace("{10000}", new string('9', 10_000), StringComparison.Ordinal)));

        await Assert4xxJsonAsync(response);
    }

    private static readonly Dictionary<string, Func<byte[]>> Bodies = new()
    {
        ["uuid as number"] = () => Utf8("""{"uuid":123}"""),
        ["uuid as array"] = () => Utf8("""{"uuid":["a","b"]}"""),
        ["uuid as object"] = () => Utf8("""{"uuid":{"$ne":null}}"""),
        ["uuid as boolean"] = () => Utf8("""{"uuid":true}"""),
        ["tag as array"] = () => Utf8("""{"tag":[1,2]}"""),
        ["force as word"] = () => Utf8("""{"uuid":"abcdefghijklmnopqrstuvwx","force":"maybe"}"""),
        ["force as object"] = () => Utf8("""{"uuid":"abcdefghijklmnopqrstuvwx","force":{}}"""),
        ["pr as word"] = () => Utf8("""{"uuid":"abcdefghijklmnopqrstuvwx","pr":"abc"}"""),
        ["pr beyond double"] = () => Utf8("""{"uuid":"abcdefghijklmnopqrstuvwx","pr":1e400}"""),
        ["pr beyond int"] = () => Utf8("""{"uuid":"abcdefghijklmnopqrstuvwx","pull_request_id":-99999999999}"""),
        ["pr as array"] = () => Utf8("""{"uuid":"abcdefghijklmnopqrstuvwx","pr":[1]}"""),
        ["docker_tag as number"] = () => Utf8("""{"uuid":"abcdefghijklmnopqrstuvwx","pr":1,"docker_tag":123}"""),
        ["docker_tag shell"] = () => Utf8("""{"uuid":"abcdefghijklmnopqrstuvwx","pr":1,"docker_tag":"$(id)"}"""),
        ["docker_tag 10,000 chars"] = () => Utf8($$"""{"uuid":"abcdefghijklmnopqrstuvwx","pr":1,"docker_tag":"{{new string('v', 10_000)}}"}"""),
        ["uuid 10,000 chars"] = () => Utf8($$"""{"uuid":"{{new string('a', 10_000)}}"}"""),
        ["uuid NUL"] = () => Utf8("""{"uuid":"\u0000"}"""),
        ["tag NUL"] = () => Utf8("""{"tag":"a\u0000b"}"""),
        ["tag lone surrogate"] = () => Utf8("""{"tag":"\ud800"}"""),
        ["uuid traversal"] = () => Utf8("""{"uuid":"../../etc/passwd"}"""),
        ["tag sql"] = () => Utf8("""{"tag":"' OR 1=1 --"}"""),
        ["unknown field"] = () => Utf8("""{"evil":1}"""),
        ["proto pollution"] = () => Utf8("""{"__proto__":{"uuid":"x"}}"""),
        ["array root"] = () => Utf8("""[{"uuid":"a"}]"""),
        ["string root"] = () => Utf8("\"uuid\""),
        ["number root"] = () => Utf8("123"),
        ["null root"] = () => Utf8("null"),
        ["truncated"] = () => Utf8("""{"uuid":"a"""),
        ["trailing comma"] = () => Utf8("""{"uuid":"a",}"""),
        ["single quotes"] = () => Utf8("{'uuid':'a'}"),
        ["invalid utf-8"] = () => [(byte)'{', (byte)'"', 0xff, 0xfe, (byte)'"', (byte)':', (byte)'1', (byte)'}'],
        ["nested arrays 10,000 deep"] = () => Utf8("{\"uuid\":" + new string('[', 10_000) + new string(']', 10_000) + "}"),
        ["nested objects 10,000 deep"] = () => Utf8(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000)),
        ["10 MB string value"] = () => Utf8("{\"uuid\":\"" + new string('a', 10 * 1024 * 1024) + "\"}"),
        ["10 MB of whitespace"] = () => Utf8(new string(' ', 10 * 1024 * 1024)),
        ["10 MB of many keys"] = () => Utf8("{" + string.Join(',', Enumerable.Range(0, 600_000).Select(i => $"\"k{i}\":1")) + "}"),
    };

    public static TheoryData<string, string> PostRoutesAndBodies()
    {
        var data = new TheoryData<string, string>();
        foreach (var body in Bodies.Keys)
        {
            data.Add("/api/v1/deploy", body);
            data.Add("/api/v1/deployments/{finished}/cancel", body);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PostRoutesAndBodies))]
    public async Task Post_HostileBody_Returns4xxJson(string route, string body)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync(), DeploymentStatus.Finished);
        var client = await tenant.ClientAsync(ApiAbility.Root);
        var content = new ByteArrayContent(Bodies[body]());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await SendAsync(client, new HttpRequestMessage(HttpMethod.Post, route.Replace("{finished}", deployment.Uuid, StringComparison.Ordinal)) { Content = content });

        await Assert4xxJsonAsync(response);
    }

    private async Task<HttpClient> RootOfNewTenantAsync() => await (await Tenant.CreateAsync(factory)).ClientAsync(ApiAbility.Root);

    private async Task AssertRawPathAsync(HttpMethod method, string decodedPath, string token)
    {
        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = method.Method;
            c.Request.Path = new PathString(decodedPath);
            c.Request.Headers.Authorization = $"Bearer {token}";
        }, Ct).WaitAsync(Deadline, Ct);

        var body = await new StreamReader(context.Response.Body).ReadToEndAsync(Ct);
        Assert.True(context.Response.StatusCode is >= 400 and < 500, $"Expected a 4xx, got {context.Response.StatusCode}: {body}");
        Assert.StartsWith("application/json", context.Response.ContentType, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(JsonValueKind.String, document.RootElement.GetProperty("message").ValueKind);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request) =>
        await client.SendAsync(request, Ct).WaitAsync(Deadline, Ct);

    private static async Task Assert4xxJsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"Expected a 4xx, got {(int)response.StatusCode}: {body[..Math.Min(body.Length, 400)]}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(JsonValueKind.String, document.RootElement.GetProperty("message").ValueKind);
    }

    private static (HttpMethod Method, string Template) Split(string route)
    {
        var space = route.IndexOf(' ', StringComparison.Ordinal);
        return (new HttpMethod(route[..space]), route[(space + 1)..]);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
