using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Slipway.Api.Tests.Cli;
using Slipway.Api.Tests.Fixtures;
using Slipway.Testing;

namespace Slipway.Api.Tests.EndToEnd;

/// <summary>
/// A real <c>slipway serve</c> with its deployment engine on, allowed to clone <c>file://</c> repositories, and a
/// local git repository holding a static site. Applications it creates run busybox httpd from
/// <c>slipway-test/busybox:latest</c> (which <c>./test.sh</c> builds) on a free port published on 127.0.0.1; they are
/// deleted (containers included) at the end.
/// </summary>
public sealed class EngineHostFixture : IAsyncLifetime
{
    public const string Page = "<h1>Hello from the Slipway CLI tests</h1>";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(120);

    private readonly List<string> _applications = [];
    private TestDatabase? _database;
    private ServedSlipway? _server;
    private string? _project;
    private string? _serverUuid;

    public string Url => _server?.BaseAddress.ToString().TrimEnd('/') ?? throw new InvalidOperationException("Not started.");

    public string RootToken { get; private set; } = "";

    public string Repository { get; } = Path.Combine(Path.GetTempPath(), "slipway-e2e-repo", Guid.NewGuid().ToString("N"));

    public HttpClient Api { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public string Transcript() => _server?.Transcript() ?? "(not started)";

    public async ValueTask InitializeAsync()
    {
        CreateRepository();
        _database = await TestDatabase.CreateAsync();
        _server = ServedSlipway.Start(_database, new Dictionary<string, string> { ["SLIPWAY_ALLOW_LOCAL_REPOSITORIES"] = "true" });
        // Fails with the server's own output when it cannot start (for example when the engine cannot be built).
        using (var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
        {
            await _server.WaitUntilHealthyAsync(probe, StartupTimeout);
        }

        RootToken = (await _server.WaitForOutputLineAsync("Root API token: ", StartupTimeout))["Root API token: ".Length..];
        Api.BaseAddress = new Uri(Url + "/api/v1/");
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", RootToken);
        _project = (await PostAsync("projects", new JsonObject { ["name"] = "cli-e2e" }))["uuid"]!.GetValue<string>();
        _serverUuid = (await GetAsync("servers")).AsArray()[0]!["uuid"]!.GetValue<string>();
    }

    /// <summary>A static site application; <paramref name="configure"/> adds or changes fields of the create request.</summary>
    public async Task<(string Uuid, int Port)> CreateApplicationAsync(Action<JsonObject>? configure = null)
    {
        var port = SlipwayBinary.FreeLoopbackPort();
        var request = new JsonObject
        {
            ["project_uuid"] = _project,
            ["environment_name"] = "production",
            ["server_uuid"] = _serverUuid,
            ["git_repository"] = "file://" + Repository,
            ["git_branch"] = "main",
            ["build_pack"] = "static",
            ["static_image"] = "slipway-test/busybox:latest",
            ["static_server"] = "busybox-httpd",
            ["ports_exposes"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ports_mappings"] = $"127.0.0.1:{port}:{port}",
        };
        configure?.Invoke(request);
        var uuid = (await PostAsync("applications/public", request))["uuid"]!.GetValue<string>();
        lock (_applications)
        {
            _applications.Add(uuid);
        }

        return (uuid, port);
    }

    /// <summary>The deployment's stored log, every entry, oldest first (read through the API's log pages).</summary>
    public async Task<List<JsonNode>> StoredEntriesAsync(string deployment)
    {
        var entries = new List<JsonNode>();
        var after = 0;
        while (true)
        {
            var page = await GetAsync($"deployments/{deployment}/logs?after={after}&limit=10000");
            entries.AddRange(page["entries"]!.AsArray().Select(e => e!.DeepClone()));
            if (!page["has_more"]!.GetValue<bool>())
            {
                return entries;
            }

            after = page["last_order"]!.GetValue<int>();
        }
    }

    /// <summary>Polls the deployment until its status is terminal (or fails after <paramref name="timeout"/>).</summary>
    public async Task<string> WaitForEndAsync(string deployment, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = (await GetAsync($"deployments/{deployment}"))["status"]!.GetValue<string>();
            if (status is "finished" or "failed" or "cancelled-by-user")
            {
                return status;
            }

            Assert.True(clock.Elapsed < timeout, $"Deployment {deployment} is still {status} after {timeout}.\n{Transcript()}");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }

    public async Task<JsonNode> GetAsync(string path)
    {
        using var response = await Api.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public async Task<JsonNode> PostAsync(string path, JsonNode? body)
    {
        using var content = body is null ? null : new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await Api.PostAsync(path, content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_server is not null && RootToken.Length > 0)
            {
                foreach (var uuid in _applications)
                {
                    // Deleting an application stops and removes its containers.
                    using var _ = await Api.DeleteAsync($"applications/{uuid}", CancellationToken.None);
                }
            }
        }
        finally
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }

            if (_database is not null)
            {
                await _database.DisposeAsync();
            }

            Api.Dispose();
            TryDelete(Repository);
        }
    }

    private void CreateRepository()
    {
        Directory.CreateDirectory(Repository);
        File.WriteAllText(Path.Combine(Repository, "index.html"), Page + "\n");
        Git("init", "-q", "-b", "main");
        Git("add", "index.html");
        Git("-c", "user.name=Slipway Tests", "-c", "user.email=tests@slipway.local", "commit", "-q", "-m", "A static page");
    }

    private void Git(params string[] arguments)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = Repository, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)}: {error}");
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
