using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Deployments;

public sealed class ListApplicationDeploymentsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task ListByApplication_Default_ReturnsCountAndNewestFirstByCreatedAtThenId()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var a = await tenant.DeploymentAsync(application, DeploymentStatus.Finished);
        var b = await tenant.DeploymentAsync(application, DeploymentStatus.Failed);
        var c = await tenant.DeploymentAsync(application, DeploymentStatus.Queued);
        var noon = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        await SetCreatedAtAsync(a.Id, noon.AddMinutes(2));
        await SetCreatedAtAsync(b.Id, noon);
        await SetCreatedAtAsync(c.Id, noon);
        await tenant.DeploymentAsync(await tenant.ApplicationAsync("other"), DeploymentStatus.Queued);
        var client = await tenant.ClientAsync(ApiAbility.Read);

        var body = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/applications/{application.Uuid}"), HttpStatusCode.OK);

        Assert.Equal(["count", "deployments"], Keys(body));
        Assert.Equal(3, body.GetProperty("count").GetInt32());
        Assert.Equal([a.Id, c.Id, b.Id], body.GetProperty("deployments").EnumerateArray().Select(d => d.GetProperty("id").GetInt64()));
        Assert.All(body.GetProperty("deployments").EnumerateArray(), d => DeploymentWire.AssertShape(d, expectLogs: false));
    }

    [Theory]
    [InlineData("?skip=1&take=2", new[] { 3, 2 })]
    [InlineData("?skip=0&take=1", new[] { 4 })]
    [InlineData("?skip=4", new[] { 0 })]
    [InlineData("?skip=5", new int[0])]
    [InlineData("?take=100", new[] { 4, 3, 2, 1, 0 })]
    [InlineData("?skip=&take=", new[] { 4, 3, 2, 1, 0 })]
    public async Task ListByApplication_SkipTake_PagesButCountsAll(string query, int[] expectedIndexes)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var deployments = new List<Deployment>();
        for (var i = 0; i < 5; i++)
        {
            deployments.Add(await tenant.DeploymentAsync(application, DeploymentStatus.Finished));
        }

        var client = await tenant.ClientAsync(ApiAbility.Read);
        var body = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/applications/{application.Uuid}{query}"), HttpStatusCode.OK);

        Assert.Equal(5, body.GetProperty("count").GetInt32());
        Assert.Equal(expectedIndexes.Select(i => deployments[i].Uuid), body.GetProperty("deployments").EnumerateArray().Select(d => d.GetProperty("deployment_uuid").GetString()));
    }

    [Fact]
    public async Task ListByApplication_NoTake_ReturnsTenNewest()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        for (var i = 0; i < 12; i++)
        {
            await tenant.DeploymentAsync(application, DeploymentStatus.Finished);
        }

        var client = await tenant.ClientAsync(ApiAbility.Read);
        var body = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/applications/{application.Uuid}"), HttpStatusCode.OK);

        Assert.Equal(12, body.GetProperty("count").GetInt32());
        Assert.Equal(10, body.GetProperty("deployments").GetArrayLength());
    }

    [Fact]
    public async Task ListByApplication_NoDeployments_ReturnsZeroAndEmptyList()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var client = await tenant.ClientAsync(ApiAbility.Read);

        var body = await JsonAsync(await client.GetAsync($"/api/v1/deployments/applications/{application.Uuid}"), HttpStatusCode.OK);

        Assert.Equal("""{"count":0,"deployments":[]}""", body);
    }

    [Theory]
    [InlineData("skip=-1", "skip")]
    [InlineData("take=0", "take")]
    [InlineData("take=-3", "take")]
    [InlineData("skip=abc", "skip")]
    [InlineData("take=1.5", "take")]
    [InlineData("take=99999999999", "take")]
    [InlineData("skip=%00", "skip")]
    public async Task ListByApplication_BadSkipOrTake_Returns422NamingTheField(string query, string field)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var client = await tenant.ClientAsync(ApiAbility.Read);

        var body = await JsonElementAsync(
            await client.GetAsync($"/api/v1/deployments/applications/{application.Uuid}?{query}"), (HttpStatusCode)422);

        Assert.Equal("Validation failed.", body.GetProperty("message").GetString());
        Assert.Equal([field], Keys(body.GetProperty("errors")));
        Assert.Single(body.GetProperty("errors").GetProperty(field).EnumerateArray());
    }

    [Fact]
    public async Task ListByApplication_UnknownApplication_Returns404()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var client = await tenant.ClientAsync(ApiAbility.Read);

        await MessageAsync(await client.GetAsync("/api/v1/deployments/applications/abcdefghijklmnopqrstuvwx"),
            HttpStatusCode.NotFound, "Application not found");
    }

    [Fact]
    public async Task ListByApplication_OtherTeamsApplication_Returns404()
    {
        var owner = await Tenant.CreateAsync(factory);
        var application = await owner.ApplicationAsync();
        await owner.DeploymentAsync(application);
        var intruder = await Tenant.CreateAsync(factory);
        var client = await intruder.ClientAsync(ApiAbility.Read | ApiAbility.ReadSensitive);

        await MessageAsync(await client.GetAsync($"/api/v1/deployments/applications/{application.Uuid}"),
            HttpStatusCode.NotFound, "Application not found");
    }

    [Theory]
    [InlineData(ApiAbility.Read, false)]
    [InlineData(ApiAbility.Read | ApiAbility.ReadSensitive, true)]
    [InlineData(ApiAbility.Root, true)]
    public async Task ListByApplication_ByAbility_ShowsLogsOnlyToSensitiveReaders(ApiAbility abilities, bool expectLogs)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        await tenant.DeploymentAsync(application, DeploymentStatus.Finished, logLines: 3);
        var client = await tenant.ClientAsync(abilities);

        var body = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/applications/{application.Uuid}"), HttpStatusCode.OK);

        var item = Assert.Single(body.GetProperty("deployments").EnumerateArray());
        DeploymentWire.AssertShape(item, expectLogs);
    }

    /// <summary>
    /// Coolify's clients ask for at most 100; a larger take is answered with 100 (not refused), so a read:sensitive
    /// caller cannot make one request render thousands of logs.
    /// </summary>
    [Theory]
    [InlineData(ApiAbility.Read, false)]
    [InlineData(ApiAbility.Read | ApiAbility.ReadSensitive, true)]
    public async Task ListByApplication_TakeAboveOneHundred_IsClampedToOneHundred(ApiAbility abilities, bool expectLogs)
    {
        const int Copies = 150;
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var template = await tenant.DeploymentAsync(application, DeploymentStatus.Finished, logLines: 1);
        await using (var db = factory.CreateDbContext())
        {
            // Portable SQL (SQLite and PostgreSQL): copies of the template row with unique uuids, in one statement.
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO application_deployment_queues (deployment_uuid, application_id, team_id, server_id, pull_request_id, force_rebuild, "commit", status, is_webhook, is_api, restart_only, only_this_server, rollback, created_at, updated_at)
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {1})
                SELECT t.deployment_uuid || 'c' || n.i, t.application_id, t.team_id, t.server_id, t.pull_request_id, t.force_rebuild, t."commit", t.status, t.is_webhook, t.is_api, t.restart_only, t.only_this_server, t.rollback, t.created_at, t.updated_at
                FROM application_deployment_queues t, n WHERE t.id = {0}
                """, [template.Id, Copies], Ct);
        }

        var client = await tenant.ClientAsync(abilities);
        var body = await JsonElementAsync(
            await client.GetAsync($"/api/v1/deployments/applications/{application.Uuid}?take=40000"), HttpStatusCode.OK);
        var last = await JsonElementAsync(
            await client.GetAsync($"/api/v1/deployments/applications/{application.Uuid}?skip=100&take=101"), HttpStatusCode.OK);

        Assert.Equal(Copies + 1, body.GetProperty("count").GetInt32());
        var deployments = body.GetProperty("deployments");
        Assert.Equal(100, deployments.GetArrayLength());
        Assert.All(deployments.EnumerateArray(), d => Assert.Equal(expectLogs, d.TryGetProperty("logs", out _)));
        Assert.Equal(51, last.GetProperty("deployments").GetArrayLength());
        var oldest = last.GetProperty("deployments")[50];
        Assert.Equal(template.Uuid, oldest.GetProperty("deployment_uuid").GetString());
        if (expectLogs)
        {
            Assert.Single(DeploymentWire.AssertLogs(oldest.GetProperty("logs")));
            Assert.Equal("[]", deployments[0].GetProperty("logs").GetString());
        }
    }

    private async Task SetCreatedAtAsync(long id, DateTime createdAt)
    {
        await using var db = factory.CreateDbContext();
        await db.Deployments.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.CreatedAt, createdAt), Ct);
    }
}
