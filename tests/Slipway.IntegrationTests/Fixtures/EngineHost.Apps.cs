using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Deployments;

namespace Slipway.IntegrationTests.Fixtures;

/// <summary>More ways to arrange and watch deployments through the API: other build packs, variables, SSH servers, cancels.</summary>
public partial class EngineHost
{
    private Task<string>? _sshServer;

    /// <summary>
    /// A <c>dockerfile</c> application from <paramref name="repository"/> published on <paramref name="port"/>,
    /// with an HTTP health check; <paramref name="configure"/> may change any field.
    /// </summary>
    public async Task<string> CreateDockerfileAppAsync(GitRepository repository, int port, Action<JsonObject>? configure = null, string? serverUuid = null) =>
        await CreateStaticSiteAsync(repository, port, body =>
        {
            body["build_pack"] = "dockerfile";
            body.Remove("static_image");
            body.Remove("static_server");
            configure?.Invoke(body);
        }, serverUuid);

    /// <summary>A <c>dockerimage</c> application running <paramref name="image"/>, published on <paramref name="port"/>.</summary>
    public async Task<string> CreateDockerImageAppAsync(string image, string tag, int port, Action<JsonObject>? configure = null)
    {
        var (project, localhost) = await PlacementAsync();
        var body = new JsonObject
        {
            ["project_uuid"] = project,
            ["environment_name"] = "production",
            ["server_uuid"] = localhost,
            ["docker_registry_image_name"] = image,
            ["docker_registry_image_tag"] = tag,
            ["ports_exposes"] = port.ToString(CultureInfo.InvariantCulture),
            ["ports_mappings"] = Published(port),
            ["health_check_enabled"] = true,
            ["health_check_start_period"] = 0,
            ["health_check_interval"] = 1,
            ["health_check_retries"] = 10,
            ["stop_grace_period"] = 1,
        };
        configure?.Invoke(body);
        return await CreateApplicationAsync("/api/v1/applications/dockerimage", body);
    }

    public async Task AddVariableAsync(string application, string key, string value, bool buildtime = false, bool runtime = true, bool shownOnce = false)
    {
        using var api = Api();
        await PostAsync(api, $"/api/v1/applications/{application}/envs", new JsonObject
        {
            ["key"] = key,
            ["value"] = value,
            ["is_buildtime"] = buildtime,
            ["is_runtime"] = runtime,
            ["is_shown_once"] = shownOnce,
        });
    }

    /// <summary>
    /// The test sshd as a Slipway server, created as a user would: the key through <c>POST /security/keys</c>,
    /// the server through <c>POST /servers</c>, then validated (SSH and Docker must both work). Created once per host.
    /// </summary>
    public Task<string> CreateSshServerAsync()
    {
        lock (_applications)
        {
            return _sshServer ??= CreateSshServerOnceAsync();
        }
    }

    private async Task<string> CreateSshServerOnceAsync()
    {
        var ssh = SshTestServer.FromEnvironment();
        // The localhost server already holds 127.0.0.1 and a team's server IPs are unique (as in Coolify), so the
        // same sshd is added under its other name; it resolves to the same loopback address.
        var ip = ssh.Host == "127.0.0.1" ? "localhost" : ssh.Host;
        using var api = Api();
        var key = await PostAsync(api, "/api/v1/security/keys", new JsonObject { ["name"] = "engine-tests", ["private_key"] = ssh.PrivateKey });
        var server = await PostAsync(api, "/api/v1/servers", new JsonObject
        {
            ["name"] = "ssh-engine-tests",
            ["ip"] = ip,
            ["port"] = ssh.Port,
            ["user"] = ssh.User,
            ["private_key_uuid"] = key["uuid"]!.GetValue<string>(),
        });
        var uuid = server["uuid"]!.GetValue<string>();
        var validation = await PostAsync(api, $"/api/v1/servers/{uuid}/validate", new JsonObject());
        Assert.True(
            validation["is_reachable"]!.GetValue<bool>() && validation["is_usable"]!.GetValue<bool>(),
            $"The test sshd at {ssh.Host}:{ssh.Port} did not validate: {validation.ToJsonString()}");
        return uuid;
    }

    /// <summary>POST /deployments/{uuid}/cancel; returns the status code and body.</summary>
    public async Task<(int Status, JsonNode Body)> CancelAsync(string deploymentUuid)
    {
        using var api = Api();
        var response = await api.PostAsync($"/api/v1/deployments/{deploymentUuid}/cancel", null, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!);
    }

    /// <summary>The deployment's stored log, every entry (hidden ones too), oldest first: read through the API's log pages.</summary>
    public async Task<List<JsonNode>> StoredEntriesAsync(string deploymentUuid)
    {
        var entries = new List<JsonNode>();
        var after = 0;
        while (true)
        {
            var page = await GetAsync($"/api/v1/deployments/{deploymentUuid}/logs?after={after}&limit=10000");
            entries.AddRange(page["entries"]!.AsArray().Select(e => e!.DeepClone()));
            if (!page["has_more"]!.GetValue<bool>())
            {
                return entries;
            }

            after = page["last_order"]!.GetValue<int>();
        }
    }

    /// <summary>Polls the deployment until <paramref name="condition"/> holds; fails with its log when it never does.</summary>
    public async Task<JsonNode> WaitUntilAsync(string deploymentUuid, Func<JsonNode, bool> condition, string what, TimeSpan? timeout = null)
    {
        JsonNode? last = null;
        var done = await Poll.UntilAsync(async () =>
        {
            last = await GetDeploymentAsync(deploymentUuid);
            return condition(last);
        }, timeout ?? TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
        Assert.True(done, $"Deployment {deploymentUuid}: {what} never happened; last status {last?["status"]}. Log:\n{(last is null ? "" : VisibleLog(last))}");
        return last!;
    }

    /// <summary>Waits until the deployment's visible log has the line <paramref name="line"/> (the whole line, see <see cref="HasOutputLine"/>).</summary>
    public Task<JsonNode> WaitForLogLineAsync(string deploymentUuid, string line, TimeSpan? timeout = null) =>
        WaitUntilAsync(deploymentUuid, d => HasOutputLine(VisibleLog(d), line), $"the log line '{line}'", timeout);

    /// <summary>
    /// Whether <paramref name="log"/> has <paramref name="text"/> as a whole line of output: as the legacy builder prints
    /// it, or as BuildKit's plain progress does (<c>#5 0.136 text</c>). The line of the step itself (<c>Step 2/7 : RUN
    /// echo ...</c>, <c>#5 [2/2] RUN echo ...</c>) also contains the text, and does not count.
    /// </summary>
    public static bool HasOutputLine(string log, string text) => OutputLineCount(log, text) > 0;

    /// <summary>How many times a command printed <paramref name="text"/> as a line (see <see cref="HasOutputLine"/>).</summary>
    public static int OutputLineCount(string log, string text) =>
        log.Split('\n').Count(l => l == text || (BuildKitOutput().Match(l) is { Success: true } m && l[m.Length..] == text));

    [System.Text.RegularExpressions.GeneratedRegex(@"^#[0-9]+ [0-9]+\.[0-9]+ ")]
    private static partial System.Text.RegularExpressions.Regex BuildKitOutput();

    public static string Status(JsonNode deployment) => deployment["status"]!.GetValue<string>();

    /// <summary>Every log line, hidden ones included (commands run quietly are logged hidden).</summary>
    public static string FullLog(JsonNode deployment) =>
        string.Join('\n', JsonNode.Parse(deployment["logs"]!.GetValue<string>())!.AsArray().Select(e => e!["output"]!.GetValue<string>()));

    /// <summary>Changes rows directly in the database, bypassing the API and its checks.</summary>
    public async Task UpdateDatabaseAsync(Func<Infrastructure.Data.SlipwayDbContext, Task> change)
    {
        await using var db = CreateDbContext();
        await change(db);
    }

    public async Task SetServerLimitsAsync(string serverUuid, int? concurrentBuilds = null, int? dynamicTimeout = null, int? queueLimit = null) =>
        await UpdateDatabaseAsync(async db =>
        {
            var server = await db.Servers.SingleAsync(s => s.Uuid == serverUuid, TestContext.Current.CancellationToken);
            server.ConcurrentBuilds = concurrentBuilds ?? server.ConcurrentBuilds;
            server.DynamicTimeout = dynamicTimeout ?? server.DynamicTimeout;
            server.DeploymentQueueLimit = queueLimit ?? server.DeploymentQueueLimit;
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });

    /// <summary>The deployments of an application as the database holds them, oldest first.</summary>
    public async Task<IReadOnlyList<Deployment>> DeploymentRowsAsync(string applicationUuid)
    {
        await using var db = CreateDbContext();
        var id = await db.Applications.Where(a => a.Uuid == applicationUuid).Select(a => a.Id).SingleAsync(TestContext.Current.CancellationToken);
        return await db.Deployments.AsNoTracking().Where(d => d.ApplicationId == id).OrderBy(d => d.Id).ToListAsync(TestContext.Current.CancellationToken);
    }

    public async Task<JsonNode> PatchApplicationAsync(string application, object body)
    {
        using var api = Api();
        var response = await api.PatchAsJsonAsync($"/api/v1/applications/{application}", body, TestContext.Current.CancellationToken);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return json;
    }
}
