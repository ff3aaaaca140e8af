using System.Diagnostics;
using System.Text.Json.Nodes;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Cluster;

/// <summary>
/// Three real <c>slipway serve</c> processes on one real PostgreSQL database, deploying with the real Docker engine:
/// the limits hold under a burst spread over all three, a killed instance's build is taken over within the lease,
/// and a frozen one is fenced when it wakes. The lease is 4 s, renewed every 0.5 s.
/// </summary>
public sealed class MultiInstanceTests : IAsyncLifetime
{
    private SlipwayCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await SlipwayCluster.StartAsync(3);

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Deploy_BurstSpreadOverThreeInstances_KeepsConcurrentBuildsOnePerApplicationAndFifo()
    {
        const int limit = 3;
        const int apps = 6;
        const int triggers = 50;
        var ct = TestContext.Current.CancellationToken;
        using var api0 = _cluster.Api(0);
        var (project, server) = await _cluster.PlacementAsync(api0, limit);
        // Prebuilt: what is under test is the claiming, so the 50 runs spend no time cloning and building.
        var image = await TestApps.HttpdImageAsync("slipway-test/cluster-httpd-" + Guid.NewGuid().ToString("N")[..8]);
        var applications = new List<string>();
        for (var i = 0; i < apps; i++)
        {
            applications.Add(await _cluster.CreateImageAppAsync(api0, project, server, image, SlipwayBinary.FreeLoopbackPort()));
        }

        var clients = Enumerable.Range(0, 3).Select(_cluster.Api).ToArray();
        using var start = new SemaphoreSlim(0);
        var sends = Enumerable.Range(0, triggers).Select(async i =>
        {
            await start.WaitAsync(ct);
            return await SlipwayCluster.DeployAsync(clients[i % 3], applications[i % apps], force: true);
        }).ToList();
        start.Release(triggers);
        var deployments = await Task.WhenAll(sends);
        Assert.Equal(triggers, deployments.Distinct().Count());

        foreach (var deployment in deployments)
        {
            Assert.Equal("finished", await SlipwayCluster.WaitForStatusAsync(clients[0], deployment, TimeSpan.FromSeconds(240), "finished", "failed"));
        }

        var runs = await _cluster.QueryAsync(
            "SELECT d.application_id, d.created_at, d.id, d.started_at, d.finished_at, i.name FROM application_deployment_queues d "
            + "JOIN slipway_instances i ON i.generation = d.instance_generation ORDER BY d.id",
            r => (App: r.GetInt64(0), Created: r.GetDateTime(1), Id: r.GetInt64(2), Started: r.GetDateTime(3), Finished: r.GetDateTime(4), Instance: r.GetString(5)));
        Assert.Equal(triggers, runs.Count);
        // concurrent_builds: at no moment more than `limit` runs; a slot is held from the claim to the terminal status.
        var events = runs.SelectMany(r => new[] { (At: r.Started, Delta: 1), (At: r.Finished, Delta: -1) }).OrderBy(e => e.At).ThenBy(e => e.Delta);
        var running = 0;
        foreach (var (_, delta) in events)
        {
            running += delta;
            Assert.True(running <= limit, $"More than {limit} deployments ran at once on the server.");
        }

        foreach (var app in runs.GroupBy(r => r.App))
        {
            var ordered = app.OrderBy(r => r.Created).ThenBy(r => r.Id).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                // One per application at a time, and in the order they were queued.
                Assert.True(ordered[i].Started >= ordered[i - 1].Finished, $"Deployments {ordered[i - 1].Id} and {ordered[i].Id} of one application overlapped or ran out of order.");
            }
        }

        // More than one instance ran them (so the limits held across instances), and every deployment ran exactly once.
        // Not necessarily all three: an instance whose run ends claims the next itself, without waking the others.
        Assert.True(runs.Select(r => r.Instance).Distinct().Count() >= 2, "One instance ran every deployment.");
        foreach (var deployment in deployments.Take(10))
        {
            var lines = SlipwayCluster.LogLines(await SlipwayCluster.GetAsync(clients[1], deployment));
            Assert.Single(lines, l => l.StartsWith("Starting deployment ", StringComparison.Ordinal));
        }

        await Docker.RunAsync("image", "rm", "-f", image + ":latest");
    }

    [Fact]
    public async Task Serve_InstanceKilledDuringBuild_AnotherFailsItWithTheReasonWithinTheLeaseAndRunsTheQueued()
    {
        var marker = "cluster-kill-" + Guid.NewGuid().ToString("N")[..8];
        var (slowApp, queued, api) = await StartSlowBuildAsync(marker);
        var deployment = await SlipwayCluster.DeployAsync(api, slowApp.App);
        var owner = await WaitForOwnerAsync(api, deployment, marker);
        var victim = _cluster.Instances[_cluster.IndexOf(owner)];
        var queuedDeployment = await SlipwayCluster.DeployAsync(api, queued.App);

        var killed = Stopwatch.StartNew();
        await victim.KillAsync();
        using var survivor = _cluster.Api((_cluster.IndexOf(owner) + 1) % 3);
        // Taken over (adopted by a live instance, which then cleans up and fails it) within the lease.
        string? adopter = null;
        Assert.True(
            await Poll.UntilAsync(async () => (adopter = await _cluster.OwnerAsync(deployment)) != owner, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken),
            "No instance took the killed instance's deployment over.");
        var takeover = killed.Elapsed;
        Assert.True(takeover <= SlipwayCluster.Lease + TimeSpan.FromSeconds(2), $"Takeover by {adopter} took {takeover.TotalSeconds:0.0} s (lease {SlipwayCluster.Lease.TotalSeconds} s).");
        Assert.Equal("failed", await SlipwayCluster.WaitForStatusAsync(survivor, deployment, TimeSpan.FromSeconds(30), "failed", "finished"));

        var log = SlipwayCluster.LogLines(await SlipwayCluster.GetAsync(survivor, deployment));
        Assert.Contains(log, l => l.Contains($"Slipway instance '{owner}'", StringComparison.Ordinal) && l.Contains("stopped renewing its lease", StringComparison.Ordinal));
        Assert.Single(log, l => l.StartsWith("Starting deployment ", StringComparison.Ordinal));
        Assert.True(
            await Poll.UntilAsync(async () => !(await Engine.CancelDeploymentTests.BuildContainersAsync(marker)).Any(), TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken),
            "The killed instance's build still runs after the takeover.");
        Assert.False(Directory.Exists(Path.Combine(_cluster.DataDirs[_cluster.IndexOf(owner)], "work", deployment)), "The killed instance's work directory is left.");

        Assert.Equal("finished", await SlipwayCluster.WaitForStatusAsync(survivor, queuedDeployment, TimeSpan.FromSeconds(60), "finished", "failed"));
        Assert.Equal("queued", await EngineHost.FetchAsync(queued.Port));
        var queuedLog = SlipwayCluster.LogLines(await SlipwayCluster.GetAsync(survivor, queuedDeployment));
        Assert.Single(queuedLog, l => l.StartsWith("Starting deployment ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_InstanceFrozenDuringBuild_IsFencedWhenItWakes()
    {
        var marker = "cluster-freeze-" + Guid.NewGuid().ToString("N")[..8];
        var (slowApp, _, api) = await StartSlowBuildAsync(marker);
        var deployment = await SlipwayCluster.DeployAsync(api, slowApp.App);
        var owner = await WaitForOwnerAsync(api, deployment, marker);
        var frozen = _cluster.Instances[_cluster.IndexOf(owner)];

        await frozen.FreezeAsync();
        using var survivor = _cluster.Api((_cluster.IndexOf(owner) + 1) % 3);
        Assert.Equal("failed", await SlipwayCluster.WaitForStatusAsync(survivor, deployment, TimeSpan.FromSeconds(30), "failed", "finished"));
        var linesAtTakeover = SlipwayCluster.LogLines(await SlipwayCluster.GetAsync(survivor, deployment)).Count;

        await frozen.ThawAsync();
        Assert.True(
            await Poll.UntilAsync(() => frozen.Printed("lost its lease"), TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken),
            $"The thawed instance did not notice it had lost its lease.\n{frozen.Transcript()}");
        // It joined again as a new generation and answers; the run it had is stopped, and it touched nothing.
        using var thawedApi = frozen.Api(_cluster.Token);
        Assert.Equal("failed", (await SlipwayCluster.GetAsync(thawedApi, deployment))["status"]!.GetValue<string>());
        await Task.Delay(SlipwayCluster.Heartbeat * 4, TestContext.Current.CancellationToken);
        var after = await SlipwayCluster.GetAsync(survivor, deployment);
        Assert.Equal("failed", after["status"]!.GetValue<string>());
        Assert.Equal(linesAtTakeover, SlipwayCluster.LogLines(after).Count);
        Assert.Empty(await Docker.ContainersAsync(slowApp.App));
        // It joined again under a new generation, whose lease it renews.
        var live = await _cluster.QueryAsync(
            $"SELECT count(*) FROM slipway_instances WHERE name = '{owner}' AND lease_expires_ms > (extract(epoch from clock_timestamp()) * 1000)::bigint",
            r => r.GetInt64(0));
        Assert.Equal(1, live.Single());
    }

    [Fact]
    public async Task Logs_FollowedOnOtherInstances_SeeEveryLineInOrderOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api0 = _cluster.Api(0);
        var (project, server) = await _cluster.PlacementAsync(api0, 2);
        using var repository = await TestApps.DockerfileRepositoryAsync(TestApps.SlowDockerfile(2, "followed"));
        var app = await _cluster.CreateAppAsync(api0, project, server, repository, SlipwayBinary.FreeLoopbackPort(), "dockerfile");
        var deployment = await SlipwayCluster.DeployAsync(api0, app);

        var followers = Enumerable.Range(0, 3).Select(i => FollowAsync(_cluster.Api(i), deployment, ct)).ToArray();
        var streams = await Task.WhenAll(followers);
        var owner = await _cluster.OwnerAsync(deployment);
        Assert.NotNull(owner);
        var page = await SlipwayCluster.SendAsync(api0, HttpMethod.Get, $"/api/v1/deployments/{deployment}/logs?limit=10000", null);
        var status = page["status"]!.GetValue<string>();
        var stored = page["entries"]!.AsArray().Select(e => e!["order"]!.GetValue<int>()).ToList();
        Assert.True(page["complete"]!.GetValue<bool>());
        Assert.Equal(Enumerable.Range(1, stored.Count), stored);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(stored.SequenceEqual(streams[i].Orders), $"Follower on i{i} (the run is on {owner}) saw {streams[i].Orders.Count} entries, stored {stored.Count}.");
            Assert.Equal(status, streams[i].FinalStatus);
        }
    }

    [Fact]
    public async Task Token_RevokedByTheCliAgainstTheDatabase_IsRefusedByEveryInstanceWithinASecond()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = new[] { "--database", "postgres", "--postgres", _cluster.ConnectionString, "--data-dir", _cluster.DataDirs[0] };
        var created = await RunCliAsync(["tokens", "create", "--name", "revoked-later", "--abilities", "read", "--team", "0", .. data]);
        var token = created.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
        var clients = Enumerable.Range(0, 3).Select(i => _cluster.Instances[i].Api(token)).ToArray();
        foreach (var client in clients)
        {
            // Accepted, and so cached, by every instance.
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/tokens/current", UriKind.Relative), ct)).StatusCode);
        }

        await RunCliAsync(["tokens", "revoke", token.Split('|')[0], .. data]);
        var revoked = Stopwatch.StartNew();
        foreach (var client in clients)
        {
            Assert.True(
                await Poll.UntilAsync(
                    async () => (await client.GetAsync(new Uri("/api/v1/tokens/current", UriKind.Relative), ct)).StatusCode == System.Net.HttpStatusCode.Unauthorized,
                    TimeSpan.FromSeconds(5), ct),
                "A revoked token is still accepted.");
        }

        Assert.True(revoked.Elapsed < TimeSpan.FromSeconds(1), $"The last instance refused the revoked token after {revoked.Elapsed.TotalMilliseconds:0} ms.");
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private static async Task<string> RunCliAsync(string[] arguments)
    {
        var info = SlipwayBinary.StartInfo(arguments);
        using var process = SlipwayBinary.Start(info);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"slipway {string.Join(' ', arguments.Take(2))} failed: {await output}{await error}");
        return await output;
    }

    /// <summary>An SSE follower from the start: the entries' orders as received, and the last status event.</summary>
    private static async Task<(List<int> Orders, string? FinalStatus)> FollowAsync(HttpClient api, string deployment, CancellationToken ct)
    {
        using (api)
        {
            api.Timeout = TimeSpan.FromMinutes(3);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/deployments/{deployment}/logs");
            request.Headers.Accept.ParseAdd("text/event-stream");
            using var response = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            var orders = new List<int>();
            string? status = null, kind = null;
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    kind = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    var data = JsonNode.Parse(line[6..])!;
                    if (kind == "entry")
                    {
                        orders.Add(data["order"]!.GetValue<int>());
                    }
                    else if (kind == "status")
                    {
                        status = data["status"]!.GetValue<string>();
                    }
                }
            }

            return (orders, status);
        }
    }

    /// <summary>
    /// concurrent_builds 1 on localhost; a slow Dockerfile app (its build sleeps 120 s) and a static app to queue
    /// behind it, each first deployed once so there is an old container.
    /// </summary>
    private async Task<((string App, int Port) Slow, (string App, int Port) Queued, HttpClient Api)> StartSlowBuildAsync(string marker)
    {
        var api = _cluster.Api(0);
        var (project, server) = await _cluster.PlacementAsync(api, 1);
        var slowRepository = await TestApps.DockerfileRepositoryAsync(TestApps.SlowDockerfile(120, marker));
        var queuedRepository = await GitRepository.CreateAsync();
        await queuedRepository.Write("index.html", "queued").CommitAsync("Site");
        var slow = (await _cluster.CreateAppAsync(api, project, server, slowRepository, SlipwayBinary.FreeLoopbackPort(), "dockerfile"), 0);
        var queuedPort = SlipwayBinary.FreeLoopbackPort();
        var queued = (await _cluster.CreateAppAsync(api, project, server, queuedRepository, queuedPort, "static"), queuedPort);
        return (slow, queued, api);
    }

    /// <summary>Waits until the slow build runs (its marker is in the log) and returns the instance running it.</summary>
    private async Task<string> WaitForOwnerAsync(HttpClient api, string deployment, string marker)
    {
        var started = await Poll.UntilAsync(
            // As the legacy builder prints the line, or BuildKit's plain progress (#5 0.136 ...), which the engine uses where it can.
            async () => EngineHost.HasOutputLine(string.Join('\n', SlipwayCluster.LogLines(await SlipwayCluster.GetAsync(api, deployment))), $"{marker}: build started"),
            TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
        if (!started)
        {
            var row = await SlipwayCluster.GetAsync(api, deployment);
            Assert.Fail($"The slow build never started (status {row["status"]}); its log:\n{string.Join('\n', SlipwayCluster.LogLines(row))}\n{_cluster.Transcripts()}");
        }

        return Assert.IsType<string>(await _cluster.OwnerAsync(deployment));
    }
}
