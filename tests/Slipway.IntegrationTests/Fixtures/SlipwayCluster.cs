using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Fixtures;

/// <summary>
/// Real <c>slipway serve</c> processes (<c>i0</c>, <c>i1</c>, ...), each with its own data directory, on one new
/// PostgreSQL database of the test server (<c>SLIPWAY_TEST_POSTGRES</c>), with a short lease so takeovers happen
/// within seconds. Started together: migrations, seeding and the first key are serialised by the instances themselves.
/// </summary>
internal sealed class SlipwayCluster : IAsyncDisposable
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(500);
    public const string MasterKey = "cluster-test-master-key-0123456789-abcdefghijklmnop";

    private readonly string _admin;
    private readonly string _database;
    private readonly List<string> _applications = [];
    private readonly List<string> _dataDirs = [];

    private readonly TimeSpan _lease;
    private readonly TimeSpan _heartbeat;

    private SlipwayCluster(string admin, string database, string connectionString, TimeSpan lease, TimeSpan heartbeat)
    {
        _admin = admin;
        _database = database;
        ConnectionString = connectionString;
        _lease = lease;
        _heartbeat = heartbeat;
    }

    public string ConnectionString { get; }

    /// <summary>The test's own queries open a fresh connection each: a pooled one would be dead after a PostgreSQL restart.</summary>
    private string QueryConnectionString => Unpooled(ConnectionString);

    public List<SlipwayProcess> Instances { get; } = [];

    public string Token { get; private set; } = string.Empty;

    public IReadOnlyList<string> DataDirs => _dataDirs;

    /// <summary>
    /// <paramref name="count"/> instances on a new database of the suite's PostgreSQL, or of <paramref name="admin"/>'s
    /// server; with <see cref="Lease"/> and <see cref="Heartbeat"/> unless others are given.
    /// </summary>
    public static async Task<SlipwayCluster> StartAsync(int count, string? admin = null, TimeSpan? lease = null, TimeSpan? heartbeat = null)
    {
        await Docker.RequireAsync();
        admin ??= Environment.GetEnvironmentVariable("SLIPWAY_TEST_POSTGRES");
        Assert.False(string.IsNullOrEmpty(admin), "SLIPWAY_TEST_POSTGRES (an admin connection string to the test PostgreSQL) is not set: run the tests with ./test.sh.");
        var database = "slipway_cluster_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(admin, $"CREATE DATABASE {database}");
        var cluster = new SlipwayCluster(admin, database, new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString, lease ?? Lease, heartbeat ?? Heartbeat);
        for (var i = 0; i < count; i++)
        {
            cluster.Instances.Add(cluster.StartInstance(i));
        }

        var tokens = await Task.WhenAll(cluster.Instances.Select(p => p.WaitUntilReadyAsync(TimeSpan.FromSeconds(90))));
        cluster.Token = Assert.Single(tokens, t => t is not null)!;
        return cluster;
    }

    public SlipwayProcess StartInstance(int index)
    {
        var dataDir = Directory.CreateTempSubdirectory($"slipway-cluster-i{index}-").FullName;
        _dataDirs.Add(dataDir);
        return SlipwayProcess.Start(dataDir, SlipwayBinary.FreeLoopbackPort(), new Dictionary<string, string>
        {
            ["SLIPWAY_DATABASE"] = "postgres",
            ["SLIPWAY_POSTGRES"] = ConnectionString,
            ["SLIPWAY_MASTER_KEY"] = MasterKey,
            ["SLIPWAY_INSTANCE_NAME"] = $"i{index}",
            ["Slipway__Cluster__Lease"] = _lease.ToString("c", CultureInfo.InvariantCulture),
            ["Slipway__Cluster__Heartbeat"] = _heartbeat.ToString("c", CultureInfo.InvariantCulture),
        });
    }

    public HttpClient Api(int instance) => Instances[instance].Api(Token);

    /// <summary>The name of the instance whose generation the deployment's row names (null while queued).</summary>
    public async Task<string?> OwnerAsync(string deploymentUuid)
    {
        await using var connection = new NpgsqlConnection(QueryConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT i.name FROM application_deployment_queues d JOIN slipway_instances i ON i.generation = d.instance_generation WHERE d.deployment_uuid = $1",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = deploymentUuid });
        return await command.ExecuteScalarAsync() as string;
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(QueryConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public int IndexOf(string instanceName) => int.Parse(instanceName.AsSpan(1), CultureInfo.InvariantCulture);

    /// <summary>A project, and the localhost server (with <paramref name="concurrentBuilds"/> and host networking allowed).</summary>
    public async Task<(string Project, string Server)> PlacementAsync(HttpClient api, int concurrentBuilds)
    {
        var project = await SendAsync(api, HttpMethod.Post, "/api/v1/projects", new JsonObject { ["name"] = "cluster" });
        var servers = await api.GetFromJsonAsync<JsonArray>("/api/v1/servers", TestContext.Current.CancellationToken);
        var server = servers!.First(s => s!["is_localhost"]!.GetValue<bool>())!["uuid"]!.GetValue<string>();
        await SendAsync(api, HttpMethod.Patch, $"/api/v1/servers/{server}", new JsonObject
        {
            ["concurrent_builds"] = concurrentBuilds,
            ["deployment_queue_limit"] = 200,
            // The apps run on host networking (CreateAppAsync), which a server must allow since the engine hardening.
            ["allow_host_network"] = true,
        });
        return (project["uuid"]!.GetValue<string>(), server);
    }

    /// <summary>An application on host networking at <paramref name="port"/>: a static site, or a Dockerfile build.</summary>
    public async Task<string> CreateAppAsync(HttpClient api, string project, string server, GitRepository repository, int port, string buildPack)
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
            ["custom_docker_run_options"] = "--network host",
            ["health_check_enabled"] = true,
            ["health_check_path"] = "/index.html",
            ["health_check_start_period"] = 0,
            ["health_check_interval"] = 1,
            // busybox httpd as PID 1 ignores SIGTERM: without this every retired container took docker's 10 s.
            ["stop_grace_period"] = 1,
        };
        if (buildPack == "static")
        {
            body["static_image"] = Docker.TestImage;
            body["static_server"] = "busybox-httpd";
        }

        return await CreateAsync(api, "/api/v1/applications/public", body);
    }

    /// <summary>An application of a prebuilt image (nothing to clone or build) on host networking at <paramref name="port"/>.</summary>
    public Task<string> CreateImageAppAsync(HttpClient api, string project, string server, string image, int port) =>
        CreateAsync(api, "/api/v1/applications/dockerimage", new JsonObject
        {
            ["project_uuid"] = project,
            ["environment_name"] = "production",
            ["server_uuid"] = server,
            ["docker_registry_image_name"] = image,
            ["docker_registry_image_tag"] = "latest",
            ["ports_exposes"] = port.ToString(CultureInfo.InvariantCulture),
            ["custom_docker_run_options"] = "--network host",
            ["health_check_enabled"] = true,
            ["health_check_start_period"] = 0,
            ["health_check_interval"] = 1,
            ["stop_grace_period"] = 1,
        });

    private async Task<string> CreateAsync(HttpClient api, string route, JsonObject body)
    {
        var uuid = (await SendAsync(api, HttpMethod.Post, route, body))["uuid"]!.GetValue<string>();
        lock (_applications)
        {
            _applications.Add(uuid);
        }

        return uuid;
    }

    public static async Task<string> DeployAsync(HttpClient api, string app, bool force = false) =>
        (await SendAsync(api, HttpMethod.Post, $"/api/v1/deploy?uuid={app}{(force ? "&force=true" : "")}", null))["deployments"]![0]!["deployment_uuid"]!.GetValue<string>();

    public static async Task<JsonNode> GetAsync(HttpClient api, string deployment) =>
        (await api.GetFromJsonAsync<JsonNode>($"/api/v1/deployments/{deployment}", TestContext.Current.CancellationToken))!;

    public static IReadOnlyList<string> LogLines(JsonNode deployment) =>
        JsonNode.Parse(deployment["logs"]!.GetValue<string>())!.AsArray().Select(e => e!["output"]!.GetValue<string>()).ToList();

    public static async Task<string> WaitForStatusAsync(HttpClient api, string deployment, TimeSpan timeout, params string[] statuses)
    {
        JsonNode? last = null;
        var reached = await Poll.UntilAsync(async () =>
        {
            last = await GetAsync(api, deployment);
            return statuses.Contains(last["status"]!.GetValue<string>());
        }, timeout, TestContext.Current.CancellationToken);
        Assert.True(reached, $"Deployment {deployment} never became {string.Join(" or ", statuses)}. Log:\n{(last is null ? "" : string.Join('\n', LogLines(last)))}");
        return last!["status"]!.GetValue<string>();
    }

    public static async Task<JsonNode> SendAsync(HttpClient api, HttpMethod method, string route, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, route) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await api.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {route}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public string Transcripts() => string.Join("\n\n", Instances.Select(i => i.Transcript()));

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Instances)
        {
            if (!instance.HasExited)
            {
                await instance.ThawAsync();
            }

            await instance.DisposeAsync();
        }

        foreach (var application in _applications)
        {
            await Docker.RemoveApplicationAsync(application);
        }

        // WITH (FORCE) ends the sessions; ClearAllPools would also empty the pools of tests running in parallel.
        await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        foreach (var dataDir in _dataDirs)
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        // Unpooled: a pooled session would outlive a test's PostgreSQL restart and fail the next statement (57P01).
        await using var connection = new NpgsqlConnection(Unpooled(connectionString));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Unpooled(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
}
