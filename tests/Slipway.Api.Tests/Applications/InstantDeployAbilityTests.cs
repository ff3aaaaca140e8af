using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Deployments;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Applications;

/// <summary>
/// <c>instant_deploy</c> starts a deployment, which is the <c>deploy</c> ability's: a <c>write</c> token without it
/// is refused whole — 403 in Coolify's words, before anything is created or changed — on creation and on PATCH.
/// </summary>
public sealed class InstantDeployAbilityTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Create_WriteTokenWithInstantDeploy_Returns403AndCreatesNothing()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var project = await tenant.Seeder.ProjectAsync(tenant.TeamId);
        var client = await tenant.ClientAsync(ApiAbility.Write | ApiAbility.Read | ApiAbility.ReadSensitive | ApiAbility.WriteSensitive);

        var response = await client.PostBodyAsync("/api/v1/applications/dockerimage", new Dictionary<string, object>
        {
            ["project_uuid"] = project.Uuid,
            ["environment_name"] = "production",
            ["server_uuid"] = tenant.Server.Uuid,
            ["docker_registry_image_name"] = "nginx",
            ["ports_exposes"] = "80",
            ["name"] = "refused-instant",
            ["instant_deploy"] = true,
        });

        await MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: deploy");
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Applications.AnyAsync(a => a.TeamId == tenant.TeamId && a.Name == "refused-instant", Ct));
        Assert.False(await db.Deployments.AnyAsync(d => d.TeamId == tenant.TeamId, Ct));
    }

    [Fact]
    public async Task Update_WriteTokenWithInstantDeploy_Returns403AndChangesNothing()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync("before");
        var client = await tenant.ClientAsync(ApiAbility.Write);

        var response = await client.PatchBodyAsync($"/api/v1/applications/{application.Uuid}", new { name = "after", instant_deploy = true });

        await MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: deploy");
        await using var db = factory.CreateDbContext();
        Assert.Equal("before", await db.Applications.Where(a => a.Id == application.Id).Select(a => a.Name).SingleAsync(Ct));
        Assert.False(await db.Deployments.AnyAsync(d => d.ApplicationId == application.Id, Ct));
    }

    [Theory]
    [InlineData(ApiAbility.Write | ApiAbility.Deploy)]
    [InlineData(ApiAbility.Root)]
    public async Task Update_WriteAndDeployWithInstantDeploy_ChangesAndQueues(ApiAbility abilities)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync("before");
        var client = await tenant.ClientAsync(abilities);

        var body = await JsonElementAsync(
            await client.PatchBodyAsync($"/api/v1/applications/{application.Uuid}", new { name = "after", instant_deploy = true }), HttpStatusCode.OK);

        await using var db = factory.CreateDbContext();
        Assert.Equal("after", await db.Applications.Where(a => a.Id == application.Id).Select(a => a.Name).SingleAsync(Ct));
        var queued = await db.Deployments.SingleAsync(d => d.ApplicationId == application.Id, Ct);
        Assert.Equal(queued.Uuid, body.GetProperty("deployment_uuid").GetString());
    }

    [Fact]
    public async Task Update_WriteTokenWithInstantDeployFalse_IsAWrite()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync("before");
        var client = await tenant.ClientAsync(ApiAbility.Write);

        var response = await client.PatchBodyAsync($"/api/v1/applications/{application.Uuid}", new { name = "after", instant_deploy = false });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Deployments.AnyAsync(d => d.ApplicationId == application.Id, Ct));
    }
}
