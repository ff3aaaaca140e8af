using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Slipway.Core.Common;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Proxy;

/// <summary>
/// The engine host with a proxy container of its own (<c>slipway-proxy-test-{random}</c>, settable through
/// <c>Slipway:Proxy:ContainerName</c>), so test classes and other people's test runs on the same Docker engine never
/// share one. Ports are free ones, never 80/443/2019. The container and its volume are removed at the end, by name.
/// </summary>
public sealed class ProxyHost : EngineHost
{
    public const string CaddyImageVariable = "SLIPWAY_TEST_CADDY_IMAGE";

    public string ContainerName { get; } = "slipway-proxy-test-" + PublicId.New()[..10];

    public string Volume => ContainerName + "-data";

    public int HttpPort { get; } = SlipwayBinary.FreeLoopbackPort();
    public int HttpsPort { get; } = SlipwayBinary.FreeLoopbackPort();
    public int AdminPort { get; } = SlipwayBinary.FreeLoopbackPort();

    /// <summary>The local Caddy image test.sh builds from Debian's package (no registry here).</summary>
    public static string CaddyImage => Environment.GetEnvironmentVariable(CaddyImageVariable) is { Length: > 0 } image ? image : "slipway-test/caddy:latest";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Slipway:Proxy:ContainerName", ContainerName);
        builder.UseSetting("Slipway:Proxy:AdminReadyTimeout", "00:00:30");
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            await Docker.RunAsync("rm", "-f", ContainerName);
            await Docker.RunAsync("volume", "rm", "-f", Volume);
        }
    }

    /// <summary>The body that turns the proxy on with this host's ports and the test image; <paramref name="configure"/> adds more.</summary>
    public JsonObject ProxyOn(Action<JsonObject>? configure = null)
    {
        var body = new JsonObject
        {
            ["proxy_type"] = "caddy",
            ["image"] = CaddyImage,
            ["http_port"] = HttpPort,
            ["https_port"] = HttpsPort,
            ["admin_port"] = AdminPort,
        };
        configure?.Invoke(body);
        return body;
    }

    public async Task<JsonNode> PatchProxyAsync(string serverUuid, JsonObject body)
    {
        using var api = Api();
        var response = await api.PatchAsJsonAsync($"/api/v1/servers/{serverUuid}/proxy", body, TestContext.Current.CancellationToken);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return json;
    }

    public async Task<JsonNode> GetProxyAsync(string serverUuid)
    {
        using var api = Api();
        return (await api.GetFromJsonAsync<JsonNode>($"/api/v1/servers/{serverUuid}/proxy", TestContext.Current.CancellationToken))!;
    }

    /// <summary>Polls <c>GET …/proxy</c> until <paramref name="condition"/> holds; fails with the last answer otherwise.</summary>
    public async Task<JsonNode> WaitForProxyAsync(string serverUuid, Func<JsonNode, bool> condition, string what, TimeSpan? timeout = null)
    {
        JsonNode? last = null;
        var done = await Poll.UntilAsync(async () =>
        {
            last = await GetProxyAsync(serverUuid);
            return condition(last);
        }, timeout ?? TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(done, $"The proxy never reached: {what}. Last GET …/proxy: {last?.ToJsonString()}");
        return last!;
    }

    /// <summary>The last reconcile's outcome once it is at or past <paramref name="generation"/>.</summary>
    public static bool Reconciled(JsonNode proxy, long generation, params string[] outcomes) =>
        proxy["last_reconcile"] is { } last && last["generation"]!.GetValue<long>() >= generation && outcomes.Contains(last["outcome"]!.GetValue<string>());

    public static long Generation(JsonNode proxy) => proxy["config_generation"]!.GetValue<long>();

    /// <summary>A request to the proxy's port on 127.0.0.1 with <paramref name="host"/> as its Host header (no redirects followed).</summary>
    public static async Task<HttpResponseMessage> SendAsync(int port, string host, string path = "/")
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{path}");
        request.Headers.Host = host;
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<string> LocalhostUuidAsync() => (await PlacementAsync()).Server;
}
