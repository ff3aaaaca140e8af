using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// The real <c>slipway serve</c> process killed with SIGKILL in the middle of a build and started again on the same
/// data: the interrupted deployment is failed with a log line saying why, what it left (build process and
/// container, work directory) is removed, the old container keeps serving, and the queued deployment runs.
/// </summary>
public sealed class RestartRecoveryTests : IAsyncDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("slipway-restart-").FullName;
    private readonly List<string> _applications = [];

    [Fact]
    public async Task Serve_KilledDuringBuild_FailsItCleansUpAndRunsTheQueuedOneAfterRestart()
    {
        await Docker.RequireAsync();
        var marker = "restart-" + Guid.NewGuid().ToString("N");
        using var repository = await TestApps.DockerfileRepositoryAsync(TestApps.SlowDockerfile(0, "v1"));
        using var otherRepository = await GitRepository.CreateAsync();
        await otherRepository.Write("index.html", "queued before the kill").CommitAsync("Other app");
        var (port, otherPort) = (SlipwayBinary.FreeLoopbackPort(), SlipwayBinary.FreeLoopbackPort());
        var apiPort = SlipwayBinary.FreeLoopbackPort();

        string deployment, queued;
        await using (var first = SlipwayProcess.Start(_dataDir, apiPort))
        {
            var token = await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            Assert.False(string.IsNullOrEmpty(token), first.Transcript());
            File.WriteAllText(Path.Combine(_dataDir, "token"), token);
            using var api = first.Api(token!);
            var (project, server) = await PlacementAsync(api);
            var app = await CreateAsync(api, project, server, repository, port, "dockerfile");
            var other = await CreateAsync(api, project, server, otherRepository, otherPort, "static");
            var firstDeployment = await DeployAsync(api, app);
            var firstStatus = await WaitForStatusAsync(api, firstDeployment, "finished", "failed");
            Assert.True(firstStatus == "finished", $"The first deployment ended {firstStatus}. Log:\n{Log(await GetAsync(api, firstDeployment))}");
            Assert.Equal("v1\n", await EngineHost.FetchAsync(port, "/index.html"));

            await repository.Write("Dockerfile", TestApps.SlowDockerfile(120, marker)).CommitAsync("Slow version");
            await SendAsync(api, HttpMethod.Patch, $"/api/v1/servers/{server}", new JsonObject { ["concurrent_builds"] = 1 });
            deployment = await DeployAsync(api, app);
            await WaitForLogAsync(api, deployment, $"{marker}: build started");
            queued = await DeployAsync(api, other);
            Assert.Equal("queued", (await GetAsync(api, queued))["status"]!.GetValue<string>());
            await first.KillAsync();
        }

        Assert.NotEmpty(await CancelDeploymentTests.BuildContainersAsync(marker));
        await using var second = SlipwayProcess.Start(_dataDir, apiPort);
        Assert.Null(await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)));
        using var restarted = second.Api(File.ReadAllText(Path.Combine(_dataDir, "token")));

        Assert.Equal("failed", await WaitForStatusAsync(restarted, deployment, "failed", "finished"));
        var recovered = await GetAsync(restarted, deployment);
        var log = Log(recovered);
        Assert.Contains("Slipway restarted while this deployment was in progress", log, StringComparison.Ordinal);
        Assert.Contains("left running by the interrupted deployment", log, StringComparison.Ordinal);
        Assert.Null(recovered["current_process_id"]);
        Assert.True(
            await Poll.UntilAsync(async () => !(await CancelDeploymentTests.BuildContainersAsync(marker)).Any(), TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken),
            $"The interrupted build still runs after the restart: {string.Join(", ", await CancelDeploymentTests.BuildContainersAsync(marker))}\n{log}");
        Assert.False(Directory.Exists(Path.Combine(_dataDir, "work", deployment)), "The interrupted deployment's work directory is left.");

        Assert.Equal("finished", await WaitForStatusAsync(restarted, queued, "finished", "failed"));
        Assert.Equal("queued before the kill", await EngineHost.FetchAsync(otherPort));
        Assert.Equal("v1\n", await EngineHost.FetchAsync(port, "/index.html"));
        var containers = await Docker.ContainersAsync(_applications[0]);
        Assert.Equal("running", Assert.Single(containers).State);
        Assert.True(
            await Poll.UntilAsync(async () => (await Docker.RunAsync("image", "ls", _applications[0], "--format", "{{.Tag}}")).Output.Trim().Split('\n').Length == 1, TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken),
            "The interrupted build tagged an image.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var application in _applications)
        {
            await Docker.RemoveApplicationAsync(application);
        }

        Directory.Delete(_dataDir, recursive: true);
    }

    private static async Task<(string Project, string Server)> PlacementAsync(HttpClient api)
    {
        var project = await SendAsync(api, HttpMethod.Post, "/api/v1/projects", new JsonObject { ["name"] = "restart" });
        var servers = await api.GetFromJsonAsync<JsonArray>("/api/v1/servers", TestContext.Current.CancellationToken);
        return (project["uuid"]!.GetValue<string>(), servers!.First(s => s!["is_localhost"]!.GetValue<bool>())!["uuid"]!.GetValue<string>());
    }

    private async Task<string> CreateAsync(HttpClient api, string project, string server, GitRepository repository, int port, string buildPack)
    {
        var body = new JsonObject
        {
            ["project_uuid"] = project,
            ["environment_name"] = "production",
            ["server_uuid"] = server,
            ["git_repository"] = repository.Url,
            ["git_branch"] = "main",
            ["build_pack"] = buildPack,
            ["ports_exposes"] = port.ToString(CultureInfo.InvariantCulture),
            ["ports_mappings"] = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}:{port.ToString(CultureInfo.InvariantCulture)}",
            ["health_check_enabled"] = true,
            ["health_check_path"] = "/index.html",
            ["health_check_start_period"] = 0,
            ["health_check_interval"] = 1,
        };
        if (buildPack == "static")
        {
            body["static_image"] = Docker.TestImage;
            body["static_server"] = "busybox-httpd";
        }

        var uuid = (await SendAsync(api, HttpMethod.Post, "/api/v1/applications/public", body))["uuid"]!.GetValue<string>();
        _applications.Add(uuid);
        return uuid;
    }

    private static async Task<string> DeployAsync(HttpClient api, string app) =>
        (await SendAsync(api, HttpMethod.Post, $"/api/v1/deploy?uuid={app}", null))["deployments"]![0]!["deployment_uuid"]!.GetValue<string>();

    private static async Task<JsonNode> GetAsync(HttpClient api, string deployment) =>
        (await api.GetFromJsonAsync<JsonNode>($"/api/v1/deployments/{deployment}", TestContext.Current.CancellationToken))!;

    private static string Log(JsonNode deployment) =>
        string.Join('\n', JsonNode.Parse(deployment["logs"]!.GetValue<string>())!.AsArray().Select(e => e!["output"]!.GetValue<string>()));

    private static async Task<string> WaitForStatusAsync(HttpClient api, string deployment, params string[] statuses)
    {
        JsonNode? last = null;
        var reached = await Poll.UntilAsync(async () =>
        {
            last = await GetAsync(api, deployment);
            return statuses.Contains(last["status"]!.GetValue<string>());
        }, TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
        Assert.True(reached, $"Deployment {deployment} never became {string.Join(" or ", statuses)}. Log:\n{(last is null ? "" : Log(last))}");
        return last!["status"]!.GetValue<string>();
    }

    private static async Task WaitForLogAsync(HttpClient api, string deployment, string text)
    {
        JsonNode? last = null;
        // The whole line: the build's "Step 2/7 : RUN echo ..." line also contains the text.
        var seen = await Poll.UntilAsync(async () => EngineHost.HasOutputLine(Log(last = await GetAsync(api, deployment)), text),
            TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
        Assert.True(seen, $"No '{text}' in the log of {deployment}:\n{(last is null ? "" : Log(last))}");
    }

    private static async Task<JsonNode> SendAsync(HttpClient api, HttpMethod method, string route, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, route) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await api.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {route}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
