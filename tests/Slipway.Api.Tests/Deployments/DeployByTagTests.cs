using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Deployments;

/// <summary><c>POST /deploy?tag=</c>: every application of the team's tags, Coolify's message list and details.</summary>
public sealed class DeployByTagTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task DeployByTag_TagWithTwoApplications_QueuesBothAndListsDetails()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var a = await tenant.ApplicationAsync("alpha");
        var b = await tenant.ApplicationAsync("beta");
        await tenant.ApplicationAsync("untagged");
        await TagAsync(tenant.TeamId, "prod", a, b);
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var body = await JsonAsync(await client.PostEmptyAsync("/api/v1/deploy?tag=prod"), HttpStatusCode.OK);

        var stored = await ActiveAsync(tenant.TeamId);
        Assert.Equal(2, stored.Count);
        var deploymentA = stored.Single(d => d.ApplicationId == a.Id).Uuid;
        var deploymentB = stored.Single(d => d.ApplicationId == b.Id).Uuid;
        Assert.Equal(
            $$"""{"message":["Application alpha deployment queued.","Application beta deployment queued."],"details":[{"resource_uuid":"{{a.Uuid}}","deployment_uuid":"{{deploymentA}}"},{"resource_uuid":"{{b.Uuid}}","deployment_uuid":"{{deploymentB}}"}]}""",
            body);
    }

    [Fact]
    public async Task DeployByTag_InJsonBodyWithEmptyAndUnknownTags_ReportsEmptyTagAndSkipsUnknown()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var a = await tenant.ApplicationAsync("alpha");
        await TagAsync(tenant.TeamId, "prod", a);
        await TagAsync(tenant.TeamId, "empty");
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var body = await JsonElementAsync(await client.PostJsonAsync("/api/v1/deploy", """{"tag":"prod,nosuch,empty"}"""), HttpStatusCode.OK);

        Assert.Equal(["Application alpha deployment queued.", "No resources found for tag empty."],
            body.GetProperty("message").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal([a.Uuid], body.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("resource_uuid").GetString()));
    }

    [Fact]
    public async Task DeployByTag_OnlyEmptyTag_Returns200WithMessageAndNoDetails()
    {
        var tenant = await Tenant.CreateAsync(factory);
        await TagAsync(tenant.TeamId, "empty");
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var body = await JsonAsync(await client.PostEmptyAsync("/api/v1/deploy?tag=empty"), HttpStatusCode.OK);

        Assert.Equal("""{"message":["No resources found for tag empty."]}""", body);
    }

    [Fact]
    public async Task DeployByTag_OtherTeamsTagName_Returns404AndQueuesNothing()
    {
        var other = await Tenant.CreateAsync(factory);
        var foreign = await other.ApplicationAsync();
        await TagAsync(other.TeamId, "shared-name", foreign);
        var tenant = await Tenant.CreateAsync(factory);
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        await MessageAsync(await client.PostEmptyAsync("/api/v1/deploy?tag=shared-name"), HttpStatusCode.NotFound, "No resources found with this tag.");

        Assert.Empty(await ActiveAsync(other.TeamId));
    }

    [Fact]
    public async Task DeployByTag_Twice_SecondReportsDuplicatesWithExistingUuids()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var a = await tenant.ApplicationAsync("alpha");
        await TagAsync(tenant.TeamId, "prod", a);
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var first = await JsonElementAsync(await client.PostEmptyAsync("/api/v1/deploy?tag=prod"), HttpStatusCode.OK);
        var second = await JsonElementAsync(await client.PostEmptyAsync("/api/v1/deploy?tag=prod"), HttpStatusCode.OK);

        Assert.Equal(["Deployment already queued for this commit."], second.GetProperty("message").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(first.GetProperty("details")[0].GetProperty("deployment_uuid").GetString(),
            second.GetProperty("details")[0].GetProperty("deployment_uuid").GetString());
        Assert.Single(await ActiveAsync(tenant.TeamId));
    }

    [Fact]
    public async Task DeployByTag_ServerQueueFull_Returns429WithRetryAfter()
    {
        var tenant = await Tenant.CreateAsync(factory, queueLimit: 1);
        await tenant.DeploymentAsync(await tenant.ApplicationAsync("busy"), DeploymentStatus.Queued);
        var a = await tenant.ApplicationAsync("alpha");
        await TagAsync(tenant.TeamId, "prod", a);
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var response = await client.PostEmptyAsync("/api/v1/deploy?tag=prod");

        await MessageAsync(response, HttpStatusCode.TooManyRequests, "Deployment queue is full. Please wait for existing deployments to complete.");
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
        Assert.Single(await ActiveAsync(tenant.TeamId));
    }

    private async Task TagAsync(long teamId, string name, params Application[] applications)
    {
        await using var db = factory.CreateDbContext();
        var now = Timestamps.Truncate(DateTime.UtcNow);
        var tag = new Tag { Uuid = PublicId.New(), TeamId = teamId, Name = name, CreatedAt = now, UpdatedAt = now };
        db.Tags.Add(tag);
        await db.SaveChangesAsync(Ct);
        db.ApplicationTags.AddRange(applications.Select(a => new ApplicationTag { ApplicationId = a.Id, TagId = tag.Id }));
        await db.SaveChangesAsync(Ct);
    }

    private async Task<List<Deployment>> ActiveAsync(long teamId)
    {
        await using var db = factory.CreateDbContext();
        return await db.Deployments.AsNoTracking()
            .Where(d => d.TeamId == teamId && d.Status == DeploymentStatus.Queued).OrderBy(d => d.Id).ToListAsync(Ct);
    }
}
