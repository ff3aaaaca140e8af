using System.Net;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Webhooks;

/// <summary><c>GET/DELETE /applications/{uuid}/previews</c> and <c>POST /deploy?pr=N</c> for an existing preview.</summary>
public sealed class PreviewsEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static Task<WebhookScenario> ScenarioAsync(ApiFactory factory) =>
        WebhookScenario.CreateAsync(factory, configure: a => a.IsPreviewDeploymentsEnabled = true);

    [Fact]
    public async Task Previews_ListsTheApplicationsPreviewsWithTheirAddress()
    {
        var scenario = await ScenarioAsync(factory);
        await scenario.SendAsync(scenario.PullRequestEvent, scenario.PullRequestPayload());
        var reader = await scenario.Tenant.ClientAsync(ApiAbility.Read);

        var body = await (await reader.GetAsync($"/api/v1/applications/{scenario.Application.Uuid}/previews", TestContext.Current.CancellationToken)).JsonAsync();

        var preview = Assert.Single(body.EnumerateArray());
        Assert.Equal((7, "github", "refs/pull/7/head"), (preview.GetProperty("pull_request_id").GetInt32(), preview.GetProperty("git_type").GetString(), preview.GetProperty("source_ref").GetString()));
        Assert.InRange(preview.GetProperty("port").GetInt32(), 20000, 20999);
    }

    [Fact]
    public async Task DeletePreview_CancelsItsDeploymentsAndDeletesIt()
    {
        var scenario = await ScenarioAsync(factory);
        await scenario.SendAsync(scenario.PullRequestEvent, scenario.PullRequestPayload());
        var writer = await scenario.Tenant.ClientAsync(ApiAbility.Write);

        var response = await writer.DeleteAsync($"/api/v1/applications/{scenario.Application.Uuid}/previews/7", TestContext.Current.CancellationToken);

        var body = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("Preview of pull request #7 deleted", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(await scenario.PreviewsAsync());
        var deployment = Assert.Single(await scenario.DeploymentsAsync());
        Assert.Equal(DeploymentStatus.CancelledByUser, deployment.Status);
        Assert.Equal(deployment.Uuid, body.GetProperty("cancelled_deployments")[0].GetString());
    }

    [Theory]
    [InlineData("8", HttpStatusCode.NotFound)]
    [InlineData("0", HttpStatusCode.UnprocessableEntity)]
    [InlineData("-1", HttpStatusCode.UnprocessableEntity)]
    [InlineData("seven", HttpStatusCode.UnprocessableEntity)]
    [InlineData("99999999999", HttpStatusCode.UnprocessableEntity)]
    public async Task DeletePreview_UnknownOrInvalidNumber_IsAClear4xx(string number, HttpStatusCode expected)
    {
        var scenario = await ScenarioAsync(factory);
        await scenario.SendAsync(scenario.PullRequestEvent, scenario.PullRequestPayload());
        var writer = await scenario.Tenant.ClientAsync(ApiAbility.Write);

        var response = await writer.DeleteAsync($"/api/v1/applications/{scenario.Application.Uuid}/previews/{number}", TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.Single(await scenario.PreviewsAsync());
    }

    [Fact]
    public async Task DeletePreview_WithAReadToken_Is403()
    {
        var scenario = await ScenarioAsync(factory);
        var reader = await scenario.Tenant.ClientAsync(ApiAbility.Read);

        var response = await reader.DeleteAsync($"/api/v1/applications/{scenario.Application.Uuid}/previews/7", TestContext.Current.CancellationToken);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: write");
    }

    [Fact]
    public async Task DeployWithPr_ForAnExistingPreview_QueuesAPreviewDeploymentOfThePullRequestsHead()
    {
        var scenario = await ScenarioAsync(factory);
        await scenario.SendAsync(scenario.PullRequestEvent, scenario.PullRequestPayload());
        var deployer = await scenario.Tenant.ClientAsync(ApiAbility.Deploy);

        var response = await deployer.PostAsync($"/api/v1/deploy?uuid={scenario.Application.Uuid}&pr=7", null, TestContext.Current.CancellationToken);

        var body = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var uuid = body.GetProperty("deployments")[0].GetProperty("deployment_uuid").GetString();
        var deployment = (await scenario.DeploymentsAsync()).Single(d => d.Uuid == uuid);
        // HEAD: the engine resolves the pull request's ref when the run starts, so the PR is deployed as it is now.
        Assert.Equal((7, "github", "HEAD", true, false), (deployment.PullRequestId, deployment.GitType, deployment.Commit, deployment.IsApi, deployment.IsWebhook));
    }

    [Fact]
    public async Task DeployWithPr_WithoutAPreview_Is404WithAClearMessage()
    {
        var scenario = await ScenarioAsync(factory);
        var deployer = await scenario.Tenant.ClientAsync(ApiAbility.Deploy);

        var response = await deployer.PostAsync($"/api/v1/deploy?uuid={scenario.Application.Uuid}&pr=9", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Pull request 9 not found for this resource.", (await response.JsonAsync()).GetProperty("deployments")[0].GetProperty("message").GetString());
        Assert.Empty(await scenario.DeploymentsAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task PreviewDeploymentsLimit_OutOfRange_Is422(int limit)
    {
        var scenario = await ScenarioAsync(factory);
        var writer = await scenario.Tenant.ClientAsync(ApiAbility.Write);

        var response = await writer.PatchJsonAsync($"/api/v1/applications/{scenario.Application.Uuid}", new { preview_deployments_limit = limit });

        Assert.Equal(["The preview_deployments_limit must be between 1 and 100."], await ApiAssert.ValidationAsync(response, "preview_deployments_limit"));
    }

    [Fact]
    public async Task PreviewDeploymentsLimit_IsReadAndWrittenThroughTheApplicationsApi()
    {
        var scenario = await ScenarioAsync(factory);
        var writer = await scenario.Tenant.ClientAsync(ApiAbility.Write | ApiAbility.Read);

        await writer.PatchJsonAsync($"/api/v1/applications/{scenario.Application.Uuid}", new { preview_deployments_limit = 5 });
        var body = await (await writer.GetAsync($"/api/v1/applications/{scenario.Application.Uuid}", TestContext.Current.CancellationToken)).JsonAsync();

        Assert.Equal(5, body.GetProperty("preview_deployments_limit").GetInt32());
    }
}
