using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Tokens;

namespace Slipway.IntegrationTests.Fixtures;

/// <summary>
/// The real Slipway host with its engine ON: the API in process, deployments run through the real Docker engine
/// and git. Applications are created and deployed through the API exactly as a client would; every container
/// and image an application left is removed when the fixture ends. It listens on a loopback port (Kestrel, not the
/// in-memory TestServer), so clients in other processes — the <c>slipway</c> CLI, a generated TypeScript client —
/// reach it at <see cref="Url"/> as they would a served Slipway.
/// </summary>
public partial class EngineHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly ConcurrentBag<string> _applications = [];
    private readonly string _dataDir;
    private bool _handedOver;

    public EngineHost()
    {
        _dataDir = Directory.CreateTempSubdirectory("slipway-engine-").FullName;
        ListenOnLoopback();
    }

    /// <summary>
    /// Slipway started again on <paramref name="previous"/>'s data (a restart): the previous host, once disposed, only
    /// stops; the applications' containers and the data directory are this host's to remove.
    /// </summary>
    protected EngineHost(EngineHost previous)
    {
        _dataDir = previous._dataDir;
        RootToken = previous.RootToken;
        foreach (var application in previous._applications)
        {
            _applications.Add(application);
        }

        foreach (var (key, value) in previous.Settings)
        {
            Settings[key] = value;
        }

        previous._handedOver = true;
        ListenOnLoopback();
    }

    public string RootToken { get; private set; } = string.Empty;

    /// <summary>
    /// Configuration keys set in this host (before it starts), after the test defaults: a test that needs another
    /// setting (a short release command timeout, another docker client) makes its own host with it.
    /// </summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>Services replaced in this host (set before it starts): seams a test scripts.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>True once a restarted host took over this one's data: disposing this one then only stops it.</summary>
    protected bool HandedOver => _handedOver;

    public string DataDir => _dataDir;

    /// <summary>Where the host listens once started, <c>http://127.0.0.1:PORT</c> (no trailing slash).</summary>
    public string Url => ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);

    public async ValueTask InitializeAsync()
    {
        await Docker.RequireAsync();
        StartServer();
        if (RootToken.Length == 0)
        {
            var (_, token) = await Services.GetRequiredService<ApiTokenService>().CreateAsync(0, "engine-tests", ApiAbility.Root, null, CancellationToken.None);
            RootToken = token;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_handedOver)
        {
            GC.SuppressFinalize(this);
            return;
        }

        foreach (var application in _applications)
        {
            await Docker.RemoveApplicationAsync(application);
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Kestrel on 127.0.0.1 with a port the kernel picks as it binds (no window in which another process could take
    /// it); <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> clients and <see cref="Url"/> follow it.
    /// </summary>
    private void ListenOnLoopback() => UseKestrel(0);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Slipway:DataDir", _dataDir);
        builder.UseSetting("Slipway:AllowLocalRepositories", "true");
        builder.UseSetting("Slipway:Engine:StartupGrace", "00:00:00.5");
        builder.UseSetting("Slipway:Engine:PollInterval", "00:00:00.1");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (TestServices is { } replace)
        {
            builder.ConfigureTestServices(replace);
        }
    }

    public HttpClient Api()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", RootToken);
        return client;
    }

    public SlipwayDbContext CreateDbContext() => Services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>().CreateDbContext();

    /// <summary>The localhost server's uuid and a fresh project's uuid.</summary>
    public async Task<(string Project, string Server)> PlacementAsync()
    {
        using var api = Api();
        var project = await PostAsync(api, "/api/v1/projects", new JsonObject { ["name"] = "engine-tests" });
        var servers = await api.GetFromJsonAsync<JsonArray>("/api/v1/servers", TestContext.Current.CancellationToken);
        var localhost = servers!.First(s => s!["is_localhost"]!.GetValue<bool>());
        return (project["uuid"]!.GetValue<string>(), localhost!["uuid"]!.GetValue<string>());
    }

    /// <summary>
    /// Creates a static site from <paramref name="repository"/> served by busybox httpd on <paramref name="port"/>, on the
    /// server's slipway network with that port published on 127.0.0.1 (<see cref="Published"/>), with an HTTP health
    /// check; <paramref name="configure"/> may change any field.
    /// </summary>
    public async Task<string> CreateStaticSiteAsync(GitRepository repository, int port, Action<JsonObject>? configure = null, string? serverUuid = null)
    {
        var (project, localhost) = await PlacementAsync();
        var body = new JsonObject
        {
            ["project_uuid"] = project,
            ["environment_name"] = "production",
            ["server_uuid"] = serverUuid ?? localhost,
            ["git_repository"] = repository.Url,
            ["git_branch"] = "main",
            ["build_pack"] = "static",
            ["ports_exposes"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["static_image"] = Docker.TestImage,
            ["static_server"] = "busybox-httpd",
            ["ports_mappings"] = Published(port),
            ["health_check_enabled"] = true,
            ["health_check_start_period"] = 0,
            ["health_check_interval"] = 1,
            ["health_check_retries"] = 5,
        };
        configure?.Invoke(body);
        return await CreateApplicationAsync("/api/v1/applications/public", body);
    }

    /// <summary>Lets the server's applications use <c>--network host</c> (<c>allow_host_network</c>, off by default).</summary>
    public async Task AllowHostNetworkAsync(string serverUuid)
    {
        using var api = Api();
        using var response = await api.PatchAsJsonAsync($"/api/v1/servers/{serverUuid}", new { allow_host_network = true }, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The <c>ports_mappings</c> that publish <paramref name="port"/> of the container as the same port on 127.0.0.1.</summary>
    public static string Published(int port) => $"127.0.0.1:{port}:{port}";

    public async Task<string> CreateApplicationAsync(string route, JsonObject body)
    {
        using var api = Api();
        var created = await PostAsync(api, route, body);
        var uuid = created["uuid"]!.GetValue<string>();
        _applications.Add(uuid);
        return uuid;
    }

    public async Task<string> DeployAsync(string applicationUuid, bool force = false)
    {
        using var api = Api();
        var response = await api.PostAsync($"/api/v1/deploy?uuid={applicationUuid}&force={force}", null, TestContext.Current.CancellationToken);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return json["deployments"]![0]!["deployment_uuid"]!.GetValue<string>();
    }

    public async Task<JsonNode> GetDeploymentAsync(string deploymentUuid)
    {
        using var api = Api();
        return (await api.GetFromJsonAsync<JsonNode>($"/api/v1/deployments/{deploymentUuid}", TestContext.Current.CancellationToken))!;
    }

    /// <summary>Polls until the deployment reaches a terminal status (as CI clients do) and returns the record.</summary>
    public Task<JsonNode> WaitAsync(string deploymentUuid, TimeSpan? timeout = null) =>
        WaitUntilAsync(deploymentUuid, d => Status(d) is "finished" or "failed" or "cancelled-by-user", "its end (finished, failed or cancelled-by-user)", timeout);

    /// <summary>The log's visible lines, one per line, as a person reading the log would see them.</summary>
    public static string VisibleLog(JsonNode deployment) =>
        string.Join('\n', JsonNode.Parse(deployment["logs"]!.GetValue<string>())!.AsArray()
            .Where(e => !e!["hidden"]!.GetValue<bool>())
            .Select(e => e!["output"]!.GetValue<string>()));

    /// <summary>What the application serves at <paramref name="port"/> on this machine, or null when nothing answers.</summary>
    public static async Task<string?> FetchAsync(int port, string path = "/")
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return await client.GetStringAsync($"http://127.0.0.1:{port}{path}", TestContext.Current.CancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    internal static async Task<JsonNode> PostAsync(HttpClient api, string route, JsonObject body)
    {
        var response = await api.PostAsJsonAsync(route, body, TestContext.Current.CancellationToken);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.True(response.IsSuccessStatusCode, $"{route}: {(int)response.StatusCode} {json.ToJsonString()}");
        return json;
    }
}
