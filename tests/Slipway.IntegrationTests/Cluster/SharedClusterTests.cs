using System.Diagnostics;
using System.Text.Json.Nodes;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Cluster;

/// <summary>
/// Three real <c>slipway serve</c> processes on one real PostgreSQL database, deploying with the real Docker engine, shared
/// by the tests that lose no instance (one start-up instead of one per test): the limits hold under a burst spread over
/// all three, a live log followed on every instance, a token revoked from another process.
/// </summary>
public sealed class SharedClusterTests(SharedClusterTests.Cluster shared) : IClassFixture<SharedClusterTests.Cluster>
{
    private readonly SlipwayCluster _cluster = shared.Instances;

    /// <summary>The three instances, started once for the class.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        internal SlipwayCluster Instances { get; private set; } = null!;

        public async ValueTask InitializeAsync() => Instances = await SlipwayCluster.StartAsync(3);

        public async ValueTask DisposeAsync() => await Instances.DisposeAsync();
    }

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
        // First one run per instance, each posted to it and running before the next is posted (the instance a
        // deployment is posted to hears of it first), holding the 3 slots when the 50 simultaneous triggers come: an
        // instance whose run ends claims the next itself without waking the others, so whichever instances hold the
        // first slots tend to run the whole burst, and the limits must be seen holding across instances.
        var seeded = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            seeded.Add(await SlipwayCluster.DeployAsync(clients[i], applications[i], force: true));
            await SlipwayCluster.WaitForStatusAsync(clients[i], seeded[i], TimeSpan.FromSeconds(60), "in_progress", "finished", "failed");
        }

        using var start = new SemaphoreSlim(0);
        var sends = Enumerable.Range(0, triggers).Select(async i =>
        {
            await start.WaitAsync(ct);
            return await SlipwayCluster.DeployAsync(clients[i % 3], applications[i % apps], force: true);
        }).ToList();
        start.Release(triggers);
        var deployments = seeded.Concat(await Task.WhenAll(sends)).ToArray();
        Assert.Equal(triggers + seeded.Count, deployments.Distinct().Count());

        foreach (var deployment in deployments)
        {
            Assert.Equal("finished", await SlipwayCluster.WaitForStatusAsync(clients[0], deployment, TimeSpan.FromSeconds(240), "finished", "failed"));
        }

        // This burst's rows only: the other tests of the class deploy on the same database.
        var runs = await _cluster.QueryAsync(
            "SELECT d.application_id, d.created_at, d.id, d.started_at, d.finished_at, i.name FROM application_deployment_queues d "
            + "JOIN slipway_instances i ON i.generation = d.instance_generation "
            + $"WHERE d.deployment_uuid IN ({string.Join(", ", deployments.Select(d => $"'{d}'"))}) ORDER BY d.id",
            r => (App: r.GetInt64(0), Created: r.GetDateTime(1), Id: r.GetInt64(2), Started: r.GetDateTime(3), Finished: r.GetDateTime(4), Instance: r.GetString(5)));
        Assert.Equal(deployments.Length, runs.Count);
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
}
