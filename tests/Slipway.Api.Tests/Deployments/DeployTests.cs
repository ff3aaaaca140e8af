using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Deployments;

/// <summary><c>POST /deploy</c> by uuid: what is answered and what is stored.</summary>
public sealed class DeployTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string QueueFull = "Deployment queue is full. Please wait for existing deployments to complete.";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deploy_KnownUuid_QueuesOneDeploymentAndAnswersItsUuid(bool inBody)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync("storefront");
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var response = inBody
            ? await client.PostJsonAsync("/api/v1/deploy", $$"""{"uuid":"{{application.Uuid}}"}""")
            : await client.PostEmptyAsync($"/api/v1/deploy?uuid={application.Uuid}");

        var body = await JsonAsync(response, HttpStatusCode.OK);
        var stored = Assert.Single(await DeploymentsOfAsync(application.Id));
        Assert.Equal(
            $$"""{"deployments":[{"message":"Application storefront deployment queued.","resource_uuid":"{{application.Uuid}}","deployment_uuid":"{{stored.Uuid}}"}]}""",
            body);
        Assert.Matches(DeploymentWire.PublicId(), stored.Uuid);
        Assert.Equal(DeploymentStatus.Queued, stored.Status);
        Assert.Equal("HEAD", stored.Commit);
        Assert.Equal(0, stored.PullRequestId);
        Assert.True(stored.IsApi);
        Assert.False(stored.IsWebhook);
        Assert.False(stored.ForceRebuild);
        Assert.Equal(tenant.TeamId, stored.TeamId);
        Assert.Equal(tenant.Server.Id, stored.ServerId);
    }

    [Fact]
    public async Task Deploy_CommaListWithUnknownAndForeignUuids_QueuesOnlyOwnAndSkipsTheRest()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var a = await tenant.ApplicationAsync("a");
        var b = await tenant.ApplicationAsync("b");
        var other = await Tenant.CreateAsync(factory);
        var foreign = await other.ApplicationAsync("foreign");
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var body = await JsonElementAsync(
            await client.PostEmptyAsync($"/api/v1/deploy?uuid={a.Uuid},abcdefghijklmnopqrstuvwx,{foreign.Uuid}, {b.Uuid} ,"), HttpStatusCode.OK);

        var items = body.GetProperty("deployments").EnumerateArray().ToList();
        Assert.Equal([a.Uuid, b.Uuid], items.Select(i => i.GetProperty("resource_uuid").GetString()));
        Assert.Equal(["Application a deployment queued.", "Application b deployment queued."], items.Select(i => i.GetProperty("message").GetString()));
        Assert.Single(await DeploymentsOfAsync(a.Id));
        Assert.Single(await DeploymentsOfAsync(b.Id));
        Assert.Empty(await DeploymentsOfAsync(foreign.Id));
    }

    [Fact]
    public async Task Deploy_OnlyUnknownOrForeignUuids_Returns404AndStoresNothing()
    {
        var other = await Tenant.CreateAsync(factory);
        var foreign = await other.ApplicationAsync();
        var client = await (await Tenant.CreateAsync(factory)).ClientAsync(ApiAbility.Deploy);

        await MessageAsync(await client.PostEmptyAsync($"/api/v1/deploy?uuid=abcdefghijklmnopqrstuvwx,{foreign.Uuid}"),
            HttpStatusCode.NotFound, "No resources found.");

        Assert.Empty(await DeploymentsOfAsync(foreign.Id));
    }

    [Theory]
    [InlineData(DeploymentStatus.Queued)]
    [InlineData(DeploymentStatus.InProgress)]
    public async Task Deploy_SameCommitAlreadyActive_ReturnsExistingUuidAndStoresNothing(DeploymentStatus status)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var existing = await tenant.DeploymentAsync(application, status);
        var client = await tenant.ClientAsync(ApiAbility.Deploy | ApiAbility.Read);

        var body = await JsonAsync(await client.PostEmptyAsync($"/api/v1/deploy?uuid={application.Uuid}"), HttpStatusCode.OK);

        Assert.Equal(
            $$"""{"deployments":[{"message":"Deployment already queued for this commit.","resource_uuid":"{{application.Uuid}}","deployment_uuid":"{{existing.Uuid}}"}]}""",
            body);
        Assert.Single(await DeploymentsOfAsync(application.Id));
        await JsonAsync(await client.GetAsync($"/api/v1/deployments/{existing.Uuid}"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Deploy_Twice_SecondReturnsFirstUuid()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var first = await JsonElementAsync(await client.PostEmptyAsync($"/api/v1/deploy?uuid={application.Uuid}"), HttpStatusCode.OK);
        var second = await JsonElementAsync(await client.PostJsonAsync("/api/v1/deploy", $$"""{"uuid":"{{application.Uuid}}"}"""), HttpStatusCode.OK);

        Assert.Equal(Uuid(first), Uuid(second));
        Assert.Equal("Deployment already queued for this commit.", second.GetProperty("deployments")[0].GetProperty("message").GetString());
        Assert.Single(await DeploymentsOfAsync(application.Id));
    }

    [Fact]
    public async Task Deploy_Force_BypassesDuplicateAndStoresForceRebuild()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync("app");
        var existing = await tenant.DeploymentAsync(application, DeploymentStatus.Queued);
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var body = await JsonElementAsync(await client.PostJsonAsync("/api/v1/deploy", $$"""{"uuid":"{{application.Uuid}}","force":true}"""), HttpStatusCode.OK);

        Assert.NotEqual(existing.Uuid, Uuid(body));
        Assert.Equal("Application app deployment queued.", body.GetProperty("deployments")[0].GetProperty("message").GetString());
        var stored = await DeploymentsOfAsync(application.Id);
        Assert.Equal(2, stored.Count);
        Assert.True(stored.Single(d => d.Uuid == Uuid(body)).ForceRebuild);
    }

    [Fact]
    public async Task Deploy_ActiveDeploymentOfOtherCommitOrPullRequest_QueuesNew()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var pinned = await tenant.ApplicationAsync("pinned", a => a.GitCommitSha = "0123456789abcdef0123456789abcdef01234567");
        await tenant.DeploymentAsync(pinned, DeploymentStatus.Queued, commit: "HEAD");
        var previewed = await tenant.ApplicationAsync("previewed");
        await tenant.Seeder.DeploymentAsync(previewed, DeploymentStatus.InProgress, pullRequestId: 3);
        var ended = await tenant.ApplicationAsync("ended");
        await tenant.DeploymentAsync(ended, DeploymentStatus.Finished);
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var body = await JsonElementAsync(
            await client.PostEmptyAsync($"/api/v1/deploy?uuid={pinned.Uuid},{previewed.Uuid},{ended.Uuid}"), HttpStatusCode.OK);

        Assert.All(body.GetProperty("deployments").EnumerateArray(),
            i => Assert.EndsWith("deployment queued.", i.GetProperty("message").GetString(), StringComparison.Ordinal));
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", (await DeploymentsOfAsync(pinned.Id))[^1].Commit);
        Assert.Equal(2, (await DeploymentsOfAsync(previewed.Id)).Count);
        Assert.Equal(2, (await DeploymentsOfAsync(ended.Id)).Count);
    }

    [Fact]
    public async Task Deploy_ServerQueueFull_Returns429RetryAfterAndStoresNothing()
    {
        var tenant = await Tenant.CreateAsync(factory, queueLimit: 2);
        await tenant.DeploymentAsync(await tenant.ApplicationAsync("one"), DeploymentStatus.Queued);
        await tenant.DeploymentAsync(await tenant.ApplicationAsync("two"), DeploymentStatus.Queued);
        var application = await tenant.ApplicationAsync("three");
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var response = await client.PostEmptyAsync($"/api/v1/deploy?uuid={application.Uuid}");

        await MessageAsync(response, HttpStatusCode.TooManyRequests, QueueFull);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
        Assert.Empty(await DeploymentsOfAsync(application.Id));
    }

    [Fact]
    public async Task Deploy_OnlyInProgressOnServer_DoesNotCountTowardsQueueLimit()
    {
        var tenant = await Tenant.CreateAsync(factory, queueLimit: 1);
        await tenant.DeploymentAsync(await tenant.ApplicationAsync("running"), DeploymentStatus.InProgress);
        await tenant.DeploymentAsync(await tenant.ApplicationAsync("done"), DeploymentStatus.Finished);
        var application = await tenant.ApplicationAsync("next");
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        await JsonAsync(await client.PostEmptyAsync($"/api/v1/deploy?uuid={application.Uuid}"), HttpStatusCode.OK);

        Assert.Single(await DeploymentsOfAsync(application.Id));
    }

    [Theory]
    [InlineData("pr=5", 5)]
    [InlineData("pull_request_id=12", 12)]
    public async Task Deploy_PullRequestWithoutPreview_ReturnsNon2xxAndStoresNothing(string query, int pr)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var body = await JsonAsync(await client.PostEmptyAsync($"/api/v1/deploy?uuid={application.Uuid}&{query}"), HttpStatusCode.NotFound);

        Assert.Equal(
            $$"""{"deployments":[{"message":"Pull request {{pr}} not found for this resource.","resource_uuid":"{{application.Uuid}}"}]}""",
            body);
        Assert.Empty(await DeploymentsOfAsync(application.Id));
    }

    [Fact]
    public async Task Deploy_DockerTagOnNonImageApplication_ReturnsNon2xxAndStoresNothing()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var body = await JsonAsync(
            await client.PostEmptyAsync($"/api/v1/deploy?uuid={application.Uuid}&pr=2&docker_tag=v1.2"), HttpStatusCode.NotFound);

        Assert.Equal(
            $$"""{"deployments":[{"message":"docker_tag can only be used with Docker Image applications.","resource_uuid":"{{application.Uuid}}"}]}""",
            body);
        Assert.Empty(await DeploymentsOfAsync(application.Id));
    }

    [Fact]
    public async Task Deploy_ReturnedUuid_IsFetchable()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var client = await tenant.ClientAsync(ApiAbility.Deploy | ApiAbility.Read);

        var body = await JsonElementAsync(await client.PostEmptyAsync($"/api/v1/deploy?uuid={application.Uuid}"), HttpStatusCode.OK);

        var d = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/{Uuid(body)}"), HttpStatusCode.OK);
        Assert.Equal(Uuid(body), d.GetProperty("deployment_uuid").GetString());
        Assert.Equal(Timestamps.ToWire((await DeploymentsOfAsync(application.Id))[0].CreatedAt), d.GetProperty("created_at").GetString());
    }

    private static string Uuid(System.Text.Json.JsonElement body) =>
        body.GetProperty("deployments")[0].GetProperty("deployment_uuid").GetString()!;

    private async Task<List<Deployment>> DeploymentsOfAsync(long applicationId)
    {
        await using var db = factory.CreateDbContext();
        return await db.Deployments.AsNoTracking().Where(d => d.ApplicationId == applicationId).OrderBy(d => d.Id).ToListAsync(Ct);
    }
}
