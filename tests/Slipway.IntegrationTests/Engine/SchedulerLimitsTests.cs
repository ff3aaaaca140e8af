using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Deployments;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// 50 <c>POST /deploy</c> fired at once through the real engine: the server's <c>concurrent_builds</c>, one run per
/// application, first in first out, every deployment run exactly once, and <c>deployment_queue_limit</c> answered
/// with Coolify's 429 instead of queueing. Deployments use a prebuilt image (no clone, no build) to stay fast.
/// </summary>
public sealed class SchedulerLimitsTests(EngineHost host) : IClassFixture<EngineHost>, IAsyncLifetime
{
    private const int ConcurrentBuilds = 2;
    private readonly string _image = "slipway-test/limits-" + Guid.NewGuid().ToString("N")[..8];

    public async ValueTask InitializeAsync() => await TestApps.HttpdImageAsync(_image);

    public async ValueTask DisposeAsync() => await Docker.RunAsync("image", "rm", "-f", _image + ":latest");

    [Fact]
    public async Task Deploy_FiftySimultaneousTriggers_RespectEveryLimitAndRunEachOnce()
    {
        const int applications = 10, deploys = 50;
        var (_, localhost) = await host.PlacementAsync();
        await host.SetServerLimitsAsync(localhost, concurrentBuilds: ConcurrentBuilds, dynamicTimeout: 3600, queueLimit: 100);
        var apps = new List<string>();
        for (var i = 0; i < applications; i++)
        {
            apps.Add(await host.CreateDockerImageAppAsync(_image, "latest", SlipwayBinary.FreeLoopbackPort()));
        }

        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var violations = new List<string>();
        var samples = 0;
        var sampler = Task.Run(() => SampleAsync(violations, () => Interlocked.Increment(ref samples), sampling.Token), CancellationToken.None);

        // Several deploys of each application, all forced so none is folded into another as a retry.
        var responses = await TriggerAtOnceAsync(Enumerable.Range(0, deploys).Select(i => apps[i % applications]).ToList());
        Assert.All(responses, r => Assert.True(r.Status == HttpStatusCode.OK, r.Body.ToJsonString()));
        var uuids = responses.Select(r => r.Body["deployments"]![0]!["deployment_uuid"]!.GetValue<string>()).ToList();
        Assert.Equal(deploys, uuids.Distinct().Count());

        var drained = await Poll.UntilAsync(async () =>
        {
            await using var db = host.CreateDbContext();
            return !await db.Deployments.AnyAsync(d => d.Status == DeploymentStatus.Queued || d.Status == DeploymentStatus.InProgress, TestContext.Current.CancellationToken);
        }, TimeSpan.FromMinutes(4), TestContext.Current.CancellationToken);
        await sampling.CancelAsync();
        await sampler;

        Assert.True(drained, "The 50 deployments did not drain within 4 minutes.");
        Assert.True(violations.Count == 0, string.Join('\n', violations));
        Assert.True(samples > 10, $"Only {samples} samples were taken while the queue drained.");
        foreach (var uuid in uuids)
        {
            var deployment = await host.GetDeploymentAsync(uuid);
            Assert.True(EngineHost.Status(deployment) == "finished", $"{uuid}: {EngineHost.Status(deployment)}\n{EngineHost.VisibleLog(deployment)}");
            var starts = EngineHost.FullLog(deployment).Split('\n').Count(l => l.StartsWith("Starting deployment ", StringComparison.Ordinal));
            Assert.True(starts == 1, $"{uuid} was started {starts} times.");
            Assert.Null(deployment["current_process_id"]);
        }

        // Nothing dropped, nothing extra: exactly the 50 rows, 5 per application.
        var rows = new List<Deployment>();
        foreach (var app in apps)
        {
            var ofApp = await host.DeploymentRowsAsync(app);
            Assert.Equal(deploys / applications, ofApp.Count);
            rows.AddRange(ofApp);
            Assert.Equal("running", Assert.Single(await Docker.ContainersAsync(app)).State);
        }

        Assert.Equal(uuids.Order(StringComparer.Ordinal), rows.Select(r => r.Uuid).Order(StringComparer.Ordinal));
        AssertLimitsHeldThroughout(rows);
    }

    [Fact]
    public async Task Deploy_BeyondDeploymentQueueLimit_Answers429AndQueuesNothing()
    {
        const int queueLimit = 5, triggers = 50;
        var (_, localhost) = await host.PlacementAsync();
        await host.SetServerLimitsAsync(localhost, concurrentBuilds: 1, dynamicTimeout: 3600, queueLimit: queueLimit);
        // The one slot is held by a deployment whose health check never passes, so nothing leaves the queue meanwhile.
        var blocker = await host.CreateDockerImageAppAsync(_image, "latest", SlipwayBinary.FreeLoopbackPort(), body =>
        {
            body["health_check_path"] = "/missing";
            body["health_check_retries"] = 600;
        });
        var blocking = await host.DeployAsync(blocker);
        await host.WaitUntilAsync(blocking, d => EngineHost.Status(d) == "in_progress", "in_progress");
        var apps = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            apps.Add(await host.CreateDockerImageAppAsync(_image, "latest", SlipwayBinary.FreeLoopbackPort()));
        }

        var responses = await TriggerAtOnceAsync(Enumerable.Range(0, triggers).Select(i => apps[i % apps.Count]).ToList());

        var accepted = responses.Where(r => r.Status == HttpStatusCode.OK).ToList();
        var refused = responses.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(queueLimit, accepted.Count);
        Assert.Equal(triggers - queueLimit, refused.Count);
        Assert.All(refused, r =>
        {
            Assert.Equal("""{"message":"Deployment queue is full. Please wait for existing deployments to complete."}""", r.Body.ToJsonString());
            Assert.Equal("60", r.RetryAfter);
        });
        var queued = accepted.Select(r => r.Body["deployments"]![0]!["deployment_uuid"]!.GetValue<string>()).ToList();
        var rows = (await Task.WhenAll(apps.Select(host.DeploymentRowsAsync))).SelectMany(r => r).ToList();
        Assert.Equal(queued.Order(StringComparer.Ordinal), rows.Select(r => r.Uuid).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(DeploymentStatus.Queued, r.Status));

        Assert.Equal(200, (await host.CancelAsync(blocking)).Status);
        foreach (var uuid in queued)
        {
            var done = await host.WaitAsync(uuid);
            Assert.True(EngineHost.Status(done) == "finished", EngineHost.VisibleLog(done));
        }

        await host.SetServerLimitsAsync(localhost, concurrentBuilds: ConcurrentBuilds, queueLimit: Core.Servers.Server.DefaultDeploymentQueueLimit);
    }

    /// <summary>Fires one forced <c>POST /deploy</c> per entry, all released at the same instant.</summary>
    private async Task<(HttpStatusCode Status, JsonNode Body, string? RetryAfter)[]> TriggerAtOnceAsync(IReadOnlyList<string> applications)
    {
        using var api = host.Api();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var triggers = applications.Select(app => Task.Run(async () =>
        {
            await go.Task;
            using var response = await api.PostAsync($"/api/v1/deploy?uuid={app}&force=true", null, TestContext.Current.CancellationToken);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
            return (response.StatusCode, body, response.Headers.RetryAfter?.ToString());
        }, TestContext.Current.CancellationToken)).ToList();
        go.SetResult();
        return await Task.WhenAll(triggers);
    }

    /// <summary>Reads the running set through the API and the database while the queue drains, recording any breach.</summary>
    private async Task SampleAsync(List<string> violations, Action counted, CancellationToken cancellationToken)
    {
        using var api = host.Api();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var listed = await api.GetFromJsonAsync<JsonArray>("/api/v1/deployments", cancellationToken);
                var running = listed!.Where(d => d!["status"]!.GetValue<string>() == "in_progress").Select(d => d!["application_id"]!.GetValue<string>()).ToList();
                Check("API", running, violations);
                await using var db = host.CreateDbContext();
                var inDb = await db.Deployments.AsNoTracking().Where(d => d.Status == DeploymentStatus.InProgress)
                    .Select(d => d.ApplicationId.ToString()).ToListAsync(cancellationToken);
                Check("database", inDb, violations);
                counted();
                // Every 50 ms, not flat out: the rows' own start and finish times check every instant afterwards
                // (AssertLimitsHeldThroughout); polling harder only takes the two cores from the runs it watches.
                await Task.Delay(50, cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException && cancellationToken.IsCancellationRequested)
            {
                // Stopped mid-request: the test server answers such a request 499.
                return;
            }
        }
    }

    private static void Check(string source, List<string> runningApplications, List<string> violations)
    {
        if (runningApplications.Count > ConcurrentBuilds)
        {
            violations.Add($"{source}: {runningApplications.Count} in_progress at once (concurrent_builds is {ConcurrentBuilds}).");
        }

        if (runningApplications.Distinct().Count() != runningApplications.Count)
        {
            violations.Add($"{source}: two in_progress deployments of one application ({string.Join(", ", runningApplications)}).");
        }
    }

    /// <summary>From the rows' own start and finish times: the limits held at every instant, and each application ran FIFO.</summary>
    private static void AssertLimitsHeldThroughout(IReadOnlyList<Deployment> rows)
    {
        Assert.All(rows, r => Assert.True(r.StartedAt is not null && r.FinishedAt is not null && r.StartedAt >= r.CreatedAt, $"{r.Uuid} has no start or end time."));
        foreach (var row in rows)
        {
            // The number running only grows when one starts, so checking at every start checks every instant.
            var atStart = rows.Where(o => o.StartedAt <= row.StartedAt && o.FinishedAt > row.StartedAt).ToList();
            Assert.True(atStart.Count <= ConcurrentBuilds, $"{atStart.Count} deployments ran when {row.Uuid} started.");
            Assert.True(atStart.DistinctBy(o => (o.ApplicationId, o.PullRequestId)).Count() == atStart.Count, $"Two deployments of one application ran when {row.Uuid} started.");
        }

        foreach (var group in rows.GroupBy(r => (r.ApplicationId, r.PullRequestId)))
        {
            var byCreation = group.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Select(r => r.Uuid).ToList();
            var byStart = group.OrderBy(r => r.StartedAt).Select(r => r.Uuid).ToList();
            Assert.Equal(byCreation, byStart);
        }
    }
}
