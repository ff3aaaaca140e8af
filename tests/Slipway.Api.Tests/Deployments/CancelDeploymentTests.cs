using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Deployments;

public sealed class CancelDeploymentTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Cancel_UnknownUuid_Returns404()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        await MessageAsync(await client.PostEmptyAsync("/api/v1/deployments/abcdefghijklmnopqrstuvwx/cancel"),
            HttpStatusCode.NotFound, "Deployment not found.");
    }

    [Fact]
    public async Task Cancel_OtherTeamsDeployment_Returns404LikeReadingItAndLeavesItQueued()
    {
        var owner = await Tenant.CreateAsync(factory);
        var deployment = await owner.DeploymentAsync(await owner.ApplicationAsync(), DeploymentStatus.Queued);
        var intruder = await Tenant.CreateAsync(factory);
        var client = await intruder.ClientAsync(ApiAbility.Deploy);

        await MessageAsync(await client.PostEmptyAsync($"/api/v1/deployments/{deployment.Uuid}/cancel"),
            HttpStatusCode.NotFound, "Deployment not found.");
        await MessageAsync(await client.PostEmptyAsync("/api/v1/deployments/doesnotexist000000000000/cancel"), HttpStatusCode.NotFound, "Deployment not found.");

        var (status, logs) = await StoredAsync(deployment.Id);
        Assert.Equal(DeploymentStatus.Queued, status);
        Assert.Empty(logs);
    }

    [Theory]
    [InlineData(DeploymentStatus.Finished, "finished")]
    [InlineData(DeploymentStatus.Failed, "failed")]
    [InlineData(DeploymentStatus.CancelledByUser, "cancelled-by-user")]
    public async Task Cancel_EndedDeployment_Returns400NamingStatusAndChangesNothing(DeploymentStatus status, string wire)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync(), status, logLines: 2);
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        await MessageAsync(await client.PostEmptyAsync($"/api/v1/deployments/{deployment.Uuid}/cancel"),
            HttpStatusCode.BadRequest, $"Deployment cannot be cancelled. Current status: {wire}");

        var (stored, logs) = await StoredAsync(deployment.Id);
        Assert.Equal(status, stored);
        Assert.Equal(2, logs.Count);
    }

    [Theory]
    [InlineData(DeploymentStatus.Queued)]
    [InlineData(DeploymentStatus.InProgress)]
    public async Task Cancel_ActiveDeployment_Returns200StoresStatusAndAppendsLogEntry(DeploymentStatus status)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync(), status, logLines: 3);
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var body = await JsonAsync(await client.PostEmptyAsync($"/api/v1/deployments/{deployment.Uuid}/cancel"), HttpStatusCode.OK);

        Assert.Equal(
            $$"""{"message":"Deployment cancelled successfully.","deployment_uuid":"{{deployment.Uuid}}","status":"cancelled-by-user"}""",
            body);
        var (stored, logs) = await StoredAsync(deployment.Id);
        Assert.Equal(DeploymentStatus.CancelledByUser, stored);
        Assert.Equal([1, 2, 3, 4], logs.Select(l => l.Order));
        var entry = logs[^1];
        Assert.Equal("stderr", entry.Type);
        Assert.StartsWith("Deployment cancelled by user via API", entry.Output, StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        Assert.NotNull((await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == deployment.Id, Ct)).FinishedAt);
    }

    [Fact]
    public async Task Cancel_Queued_IsVisibleThroughReads()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync(), DeploymentStatus.Queued);
        var client = await tenant.ClientAsync(ApiAbility.Deploy | ApiAbility.Read | ApiAbility.ReadSensitive);

        await JsonAsync(await client.PostEmptyAsync($"/api/v1/deployments/{deployment.Uuid}/cancel"), HttpStatusCode.OK);

        Assert.Equal("[]", await JsonAsync(await client.GetAsync("/api/v1/deployments"), HttpStatusCode.OK));
        var d = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/{deployment.Uuid}"), HttpStatusCode.OK);
        Assert.Equal("cancelled-by-user", d.GetProperty("status").GetString());
        var entry = Assert.Single(DeploymentWire.AssertLogs(d.GetProperty("logs")));
        Assert.Equal(1, entry.GetProperty("order").GetInt32());
        Assert.Equal("stderr", entry.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Cancel_Twice_SecondReturns400Cancelled()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync(), DeploymentStatus.InProgress);
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        await JsonAsync(await client.PostEmptyAsync($"/api/v1/deployments/{deployment.Uuid}/cancel"), HttpStatusCode.OK);

        await MessageAsync(await client.PostEmptyAsync($"/api/v1/deployments/{deployment.Uuid}/cancel"),
            HttpStatusCode.BadRequest, "Deployment cannot be cancelled. Current status: cancelled-by-user");
    }

    [Fact]
    public async Task Cancel_TwentySimultaneous_ExactlyOneWinsAndOneEntryIsLogged()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync(), DeploymentStatus.Queued);
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => client.PostEmptyAsync($"/api/v1/deployments/{deployment.Uuid}/cancel")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var response in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await MessageAsync(response, HttpStatusCode.BadRequest, "Deployment cannot be cancelled. Current status: cancelled-by-user");
        }

        var (_, logs) = await StoredAsync(deployment.Id);
        Assert.Single(logs);
    }

    private async Task<(DeploymentStatus Status, List<DeploymentLogEntry> Logs)> StoredAsync(long deploymentId)
    {
        await using var db = factory.CreateDbContext();
        var status = await db.Deployments.AsNoTracking().Where(d => d.Id == deploymentId).Select(d => d.Status).SingleAsync(Ct);
        var logs = await db.DeploymentLogEntries.AsNoTracking().Where(e => e.DeploymentId == deploymentId).OrderBy(e => e.Order).ToListAsync(Ct);
        return (status, logs);
    }
}
