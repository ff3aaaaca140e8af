using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Deployments;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Auth;

/// <summary>Abilities are independent (<c>write</c> and <c>deploy</c> do not imply <c>read</c>); <c>root</c> passes everything.</summary>
public sealed class AbilityTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly ApiAbility[] Singles =
        [ApiAbility.Root, ApiAbility.Read, ApiAbility.Write, ApiAbility.Deploy, ApiAbility.ReadSensitive, ApiAbility.WriteSensitive];

    public static TheoryData<string, ApiAbility> RoutesAndAbilities()
    {
        var data = new TheoryData<string, ApiAbility>();
        foreach (var route in AuthRoute.All)
        {
            foreach (var ability in Singles)
            {
                data.Add(route.Name, ability);
            }

            // Everything but the one needed is still not enough.
            data.Add(route.Name, Singles.Where(a => a != ApiAbility.Root && a != route.Required).Aggregate((a, b) => a | b));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoutesAndAbilities))]
    public async Task Request_TokenAbilities_AllowOnlyRootOrTheRequiredAbility(string routeName, ApiAbility abilities)
    {
        var route = AuthRoute.Named(routeName);
        var tenant = await Tenant.CreateAsync(factory);
        var (application, deployment) = await AuthRoute.ArrangeAsync(tenant);
        var client = await tenant.ClientAsync(abilities);

        var response = await client.SendAsync(route.Request(application, deployment), Ct);

        var allowed = route.Required == ApiAbility.None || abilities.HasFlag(ApiAbility.Root) || abilities.HasFlag(route.Required);
        if (!allowed)
        {
            await MessageAsync(response, HttpStatusCode.Forbidden, $"Missing required permissions: {ApiAbilities.ToName(route.Required)}");
            return;
        }

        Assert.Equal(route.AllowedStatus, (int)response.StatusCode);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        Assert.Equal(route.Name == "version" ? "text/html" : "application/json", mediaType);
    }

    [Fact]
    public async Task Deploy_ReadAndWriteToken_Returns403AndQueuesNothing()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var client = await tenant.ClientAsync(ApiAbility.Read | ApiAbility.Write | ApiAbility.ReadSensitive | ApiAbility.WriteSensitive);

        await MessageAsync(await client.PostEmptyAsync($"/api/v1/deploy?uuid={application.Uuid}"),
            HttpStatusCode.Forbidden, "Missing required permissions: deploy");

        await using var db = factory.CreateDbContext();
        Assert.False(await db.Deployments.AnyAsync(d => d.ApplicationId == application.Id, Ct));
    }

    [Fact]
    public async Task Cancel_ReadToken_Returns403AndLeavesDeploymentQueued()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync(), DeploymentStatus.Queued);
        var client = await tenant.ClientAsync(ApiAbility.Read);

        await MessageAsync(await client.PostEmptyAsync($"/api/v1/deployments/{deployment.Uuid}/cancel"),
            HttpStatusCode.Forbidden, "Missing required permissions: deploy");

        await using var db = factory.CreateDbContext();
        Assert.Equal(DeploymentStatus.Queued, await db.Deployments.Where(d => d.Id == deployment.Id).Select(d => d.Status).SingleAsync(Ct));
    }

    [Fact]
    public async Task Request_DeployOnlyToken_CannotReadWhatItQueued()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var body = await JsonElementAsync(await client.PostEmptyAsync($"/api/v1/deploy?uuid={application.Uuid}"), HttpStatusCode.OK);
        var uuid = body.GetProperty("deployments")[0].GetProperty("deployment_uuid").GetString();

        await MessageAsync(await client.GetAsync($"/api/v1/deployments/{uuid}"), HttpStatusCode.Forbidden, "Missing required permissions: read");
    }
}
