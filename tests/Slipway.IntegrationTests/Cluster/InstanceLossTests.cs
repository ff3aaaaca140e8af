using System.Diagnostics;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Cluster;

/// <summary>
/// Two real <c>slipway serve</c> processes on one real PostgreSQL database, new for each test, because each test loses
/// one: a killed instance's build is taken over within the lease, and a frozen one is fenced when it wakes. The lease
/// is 4 s, renewed every 0.5 s.
/// </summary>
public sealed class InstanceLossTests : IAsyncLifetime
{
    private SlipwayCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await SlipwayCluster.StartAsync(2);

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

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
        using var survivor = _cluster.Api((_cluster.IndexOf(owner) + 1) % _cluster.Instances.Count);
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
        using var survivor = _cluster.Api((_cluster.IndexOf(owner) + 1) % _cluster.Instances.Count);
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
