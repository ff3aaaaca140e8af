using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Deployments;

public sealed class ListDeploymentsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task ListDeployments_MixedStatuses_ReturnsQueuedAndInProgressAsArrayOrderedById()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var web = await tenant.ApplicationAsync("web");
        var worker = await tenant.ApplicationAsync("worker");
        await tenant.DeploymentAsync(web, DeploymentStatus.Finished);
        var first = await tenant.DeploymentAsync(web, DeploymentStatus.Queued);
        await tenant.DeploymentAsync(worker, DeploymentStatus.Failed);
        var running = await tenant.DeploymentAsync(worker, DeploymentStatus.InProgress);
        await tenant.DeploymentAsync(web, DeploymentStatus.CancelledByUser);
        var last = await tenant.DeploymentAsync(worker, DeploymentStatus.Queued);
        // Creation times run against id order: the list must still follow ids.
        await using (var db = factory.CreateDbContext())
        {
            await db.Deployments.Where(d => d.Id == first.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.CreatedAt, DateTime.UtcNow.AddHours(1)), Ct);
        }

        var client = await tenant.ClientAsync(ApiAbility.Read);
        var list = await JsonElementAsync(await client.GetAsync("/api/v1/deployments"), HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Array, list.ValueKind);
        Assert.Equal([first.Id, running.Id, last.Id], list.EnumerateArray().Select(d => d.GetProperty("id").GetInt64()));
        Assert.Equal(["queued", "in_progress", "queued"], list.EnumerateArray().Select(d => d.GetProperty("status").GetString()));
        Assert.All(list.EnumerateArray(), d => DeploymentWire.AssertShape(d, expectLogs: false));
    }

    [Fact]
    public async Task ListDeployments_NothingActive_ReturnsEmptyArray()
    {
        var tenant = await Tenant.CreateAsync(factory);
        await tenant.DeploymentAsync(await tenant.ApplicationAsync(), DeploymentStatus.Finished);
        var client = await tenant.ClientAsync(ApiAbility.Read);

        Assert.Equal("[]", await JsonAsync(await client.GetAsync("/api/v1/deployments"), HttpStatusCode.OK));
    }

    [Fact]
    public async Task ListDeployments_OtherTeamsActive_AreNotListed()
    {
        var other = await Tenant.CreateAsync(factory);
        await other.DeploymentAsync(await other.ApplicationAsync(), DeploymentStatus.InProgress);
        await other.DeploymentAsync(await other.ApplicationAsync(), DeploymentStatus.Queued);
        var tenant = await Tenant.CreateAsync(factory);
        var mine = await tenant.DeploymentAsync(await tenant.ApplicationAsync(), DeploymentStatus.Queued);
        var client = await tenant.ClientAsync(ApiAbility.Read);

        var list = await JsonElementAsync(await client.GetAsync("/api/v1/deployments"), HttpStatusCode.OK);

        Assert.Equal([mine.Uuid], list.EnumerateArray().Select(d => d.GetProperty("deployment_uuid").GetString()));
    }

    [Theory]
    [InlineData(ApiAbility.Read, false)]
    [InlineData(ApiAbility.Read | ApiAbility.ReadSensitive, true)]
    [InlineData(ApiAbility.Root, true)]
    public async Task ListDeployments_ByAbility_ShowsLogsOnlyToSensitiveReaders(ApiAbility abilities, bool expectLogs)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        await tenant.DeploymentAsync(application, DeploymentStatus.Queued, logLines: 2);
        await tenant.DeploymentAsync(application, DeploymentStatus.InProgress, logLines: 4);
        var client = await tenant.ClientAsync(abilities);

        var list = await JsonElementAsync(await client.GetAsync("/api/v1/deployments"), HttpStatusCode.OK);

        Assert.Equal(2, list.GetArrayLength());
        Assert.All(list.EnumerateArray(), d => DeploymentWire.AssertShape(d, expectLogs));
        if (expectLogs)
        {
            Assert.Equal([2, 4], list.EnumerateArray().Select(d => DeploymentWire.AssertLogs(d.GetProperty("logs")).Count));
        }
    }
}
