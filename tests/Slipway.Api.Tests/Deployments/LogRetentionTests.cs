using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Deployments;

/// <summary>
/// Log retention through the real database (SQLite, and PostgreSQL in its pass): a pass replaces the logs of ended
/// deployments beyond each application's newest <c>deployment_log_retention</c> with one notice line, in batches,
/// and touches nothing else. Passes are run by the test (the host's own first pass is an hour away).
/// </summary>
public sealed class LogRetentionTests(LogRetentionTests.Factory factory) : IClassFixture<LogRetentionTests.Factory>
{
    private LogRetention Retention => factory.Services.GetRequiredService<LogRetention>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunOnce_RetentionTwo_PrunesOnlyOlderEndedDeployments_KeepsRunningAndOtherApplications()
    {
        var tenant = await Tenant.CreateAsync(factory);
        await SetRetentionAsync(tenant, 2);
        var application = await tenant.ApplicationAsync("pruned");
        var oldest = await EndedAsync(tenant, application, DeploymentStatus.Finished, 30);
        // Queued and running deployments are never pruned, whatever their log says; nor one whose last lines are still being stored.
        var running = await EndedAsync(tenant, application, DeploymentStatus.InProgress, 12);
        var failed = await EndedAsync(tenant, application, DeploymentStatus.Failed, 25);
        var queued = await EndedAsync(tenant, application, DeploymentStatus.Queued, 3);
        var ending = await tenant.DeploymentAsync(application, DeploymentStatus.CancelledByUser, logLines: 4);
        var newer = await EndedAsync(tenant, application, DeploymentStatus.CancelledByUser, 8);
        var newest = await EndedAsync(tenant, application, DeploymentStatus.Finished, 9);
        // Another application on the same server keeps its own newest two; one on a server with the default keeps all.
        var sibling = await tenant.ApplicationAsync("sibling");
        var siblings = new[] { await EndedAsync(tenant, sibling, DeploymentStatus.Finished, 5), await EndedAsync(tenant, sibling, DeploymentStatus.Finished, 6) };
        var other = await Tenant.CreateAsync(factory);
        var elsewhere = await other.ApplicationAsync("elsewhere");
        var others = new List<Deployment>();
        for (var i = 0; i < 5; i++)
        {
            others.Add(await EndedAsync(other, elsewhere, DeploymentStatus.Finished, 4));
        }

        var pruned = await Retention.RunOnceAsync(Ct);

        Assert.Equal(2, pruned);
        await AssertPrunedAsync(oldest, 30, keep: 2);
        await AssertPrunedAsync(failed, 25, keep: 2);
        foreach (var (deployment, lines) in new[] { (running, 12), (queued, 3), (ending, 4), (newer, 8), (newest, 9), (siblings[0], 5), (siblings[1], 6) }
            .Concat(others.Select(d => (d, 4))))
        {
            Assert.Equal(Enumerable.Range(1, lines), (await RowsAsync(deployment)).Select(r => r.Order));
            Assert.Null((await DeploymentAsync(deployment)).LogsPrunedAt);
        }

        // A second pass finds nothing left to do.
        Assert.Equal(0, await Retention.RunOnceAsync(Ct));
        await AssertPrunedAsync(oldest, 30, keep: 2);
    }

    [Fact]
    public async Task RunOnce_RunningDeploymentEndsLater_IsPrunedByTheNextPass()
    {
        var tenant = await Tenant.CreateAsync(factory);
        await SetRetentionAsync(tenant, 1);
        var application = await tenant.ApplicationAsync();
        var running = await tenant.DeploymentAsync(application, DeploymentStatus.InProgress, logLines: 20);
        await EndedAsync(tenant, application, DeploymentStatus.Finished, 3);

        await Retention.RunOnceAsync(Ct);
        Assert.Equal(20, (await RowsAsync(running)).Count);

        await using (var db = factory.CreateDbContext())
        {
            await db.Deployments.Where(d => d.Id == running.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeploymentStatus.Failed).SetProperty(d => d.LogComplete, true), Ct);
        }

        await Retention.RunOnceAsync(Ct);
        await AssertPrunedAsync(running, 20, keep: 1);
    }

    [Fact]
    public async Task Get_PrunedDeployment_LogsAreTheOneNotice_NotTheCachedOldLog()
    {
        var tenant = await Tenant.CreateAsync(factory);
        await SetRetentionAsync(tenant, 1);
        var application = await tenant.ApplicationAsync();
        var old = await EndedAsync(tenant, application, DeploymentStatus.Finished, 40);
        await EndedAsync(tenant, application, DeploymentStatus.Finished, 2);
        var client = await tenant.ClientAsync(ApiAbility.Read | ApiAbility.ReadSensitive);
        // Read (and cached) before the pass.
        Assert.Equal(40, (await GetLogsAsync(client, old.Uuid)).GetArrayLength());

        await Retention.RunOnceAsync(Ct);

        var response = await client.GetAsync($"/api/v1/deployments/{old.Uuid}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("finished", body.GetProperty("status").GetString());
        var entry = Assert.Single((await GetLogsAsync(client, old.Uuid)).EnumerateArray());
        Assert.Equal(LogRetention.Notice(1), entry.GetProperty("output").GetString());
        Assert.Equal((JsonValueKind.Null, "stdout", false, 41), (
            entry.GetProperty("command").ValueKind, entry.GetProperty("type").GetString(), entry.GetProperty("hidden").GetBoolean(), entry.GetProperty("order").GetInt32()));
    }

    [Fact]
    public async Task RunOnce_PassCutShortAfterTheNotice_NextPassFinishesWithOneNotice()
    {
        var tenant = await Tenant.CreateAsync(factory);
        await SetRetentionAsync(tenant, 1);
        var application = await tenant.ApplicationAsync();
        var old = await EndedAsync(tenant, application, DeploymentStatus.Failed, 50);
        await EndedAsync(tenant, application, DeploymentStatus.Finished, 2);
        // What a pass stopped after its first batch leaves: the notice last, some of the old lines before it.
        var store = factory.Services.GetRequiredService<ILogRetentionStore>();
        var notice = await store.AppendNoticeAsync(old.Id, LogRetention.Notice(1), DateTime.UtcNow, Ct);
        Assert.Equal(Factory.BatchSize, await store.DeleteBeforeAsync(old.Id, notice, Factory.BatchSize, Ct));

        await Retention.RunOnceAsync(Ct);

        await AssertPrunedAsync(old, 50, keep: 1);
    }

    private async Task AssertPrunedAsync(Deployment deployment, int lines, int keep)
    {
        var row = Assert.Single(await RowsAsync(deployment));
        Assert.Equal((lines + 1, LogRetention.Notice(keep), (string?)null, LogLine.Stdout, false), (row.Order, row.Output, row.Command, row.Type, row.Hidden));
        Assert.NotNull((await DeploymentAsync(deployment)).LogsPrunedAt);
    }

    private static async Task SetRetentionAsync(Tenant tenant, int keep)
    {
        var client = await tenant.ClientAsync(ApiAbility.Root);
        var response = await client.PatchJsonAsync($"/api/v1/servers/{tenant.Server.Uuid}", new { deployment_log_retention = keep });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>A deployment with its log marked complete, as the engine leaves an ended one.</summary>
    private async Task<Deployment> EndedAsync(Tenant tenant, Application application, DeploymentStatus status, int lines)
    {
        var deployment = await tenant.DeploymentAsync(application, status, logLines: lines);
        await using var db = factory.CreateDbContext();
        await db.Deployments.Where(d => d.Id == deployment.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.LogComplete, true), Ct);
        return deployment;
    }

    private async Task<List<DeploymentLogEntry>> RowsAsync(Deployment deployment)
    {
        await using var db = factory.CreateDbContext();
        return await db.DeploymentLogEntries.AsNoTracking().Where(e => e.DeploymentId == deployment.Id).OrderBy(e => e.Order).ToListAsync(Ct);
    }

    private async Task<Deployment> DeploymentAsync(Deployment deployment)
    {
        await using var db = factory.CreateDbContext();
        return await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == deployment.Id, Ct);
    }

    private static async Task<JsonElement> GetLogsAsync(HttpClient client, string uuid)
    {
        using var body = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/deployments/{uuid}", Ct));
        return JsonDocument.Parse(body.RootElement.GetProperty("logs").GetString()!).RootElement.Clone();
    }

    /// <summary>Small batches (so a pass takes several per log) and no pass of the host's own while the tests run theirs.</summary>
    public sealed class Factory : ApiFactory
    {
        public const int BatchSize = 7;

        protected override void ConfigureSlipway(IWebHostBuilder builder) =>
            builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton(new LogRetentionOptions
            {
                FirstPassDelay = TimeSpan.FromHours(1),
                BatchSize = BatchSize,
                PauseBetweenBatches = TimeSpan.FromMilliseconds(1),
            })));
    }
}

/// <summary>The host prunes on its own: its first pass runs shortly after start, and again every interval.</summary>
public sealed class LogRetentionServiceTests(LogRetentionServiceTests.Factory factory) : IClassFixture<LogRetentionServiceTests.Factory>
{
    [Fact]
    public async Task Host_RunsPassesByItself_OldLogIsPruned()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await Tenant.CreateAsync(factory);
        var client = await tenant.ClientAsync(ApiAbility.Root);
        Assert.Equal(HttpStatusCode.Created, (await client.PatchJsonAsync($"/api/v1/servers/{tenant.Server.Uuid}", new { deployment_log_retention = 1 })).StatusCode);
        var application = await tenant.ApplicationAsync();
        var old = await tenant.DeploymentAsync(application, DeploymentStatus.Finished, logLines: 10);
        await tenant.DeploymentAsync(application, DeploymentStatus.Finished, logLines: 1);
        await using (var db = factory.CreateDbContext())
        {
            await db.Deployments.Where(d => d.ApplicationId == application.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.LogComplete, true), ct);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            await using var db = factory.CreateDbContext();
            var rows = await db.DeploymentLogEntries.AsNoTracking().Where(e => e.DeploymentId == old.Id).Select(e => e.Output).ToListAsync(deadline.Token);
            if (rows is [var only] && only == LogRetention.Notice(1))
            {
                break;
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    public sealed class Factory : ApiFactory
    {
        protected override void ConfigureSlipway(IWebHostBuilder builder) =>
            builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton(new LogRetentionOptions
            {
                FirstPassDelay = TimeSpan.FromMilliseconds(100),
                Interval = TimeSpan.FromMilliseconds(200),
            })));
    }
}
