using System.Diagnostics;
using System.Net;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;

namespace Slipway.Api.Tests.Deployments;

/// <summary><c>GET /deployments/{uuid}?wait=SECONDS&amp;status=SEEN</c>: the long-poll for simple clients.</summary>
public sealed class DeploymentWaitTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly Seeder _seed = new(factory);
    private readonly DeploymentDriver _driver = new(factory);

    [Fact]
    public async Task GetDeployment_WaitingOnTheCurrentStatus_AnswersWhenItChanges()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.Queued);
        var clock = Stopwatch.StartNew();

        var waiting = factory.RootClient().GetAsync($"/api/v1/deployments/{deployment.Uuid}?wait=30&status=queued", Ct);
        // Log lines alone do not answer the poll; the status change does.
        await _driver.AppendAsync(deployment, "-----> Preparing");
        await _driver.SetStatusAsync(deployment, DeploymentStatus.Queued, DeploymentStatus.InProgress);
        var response = await waiting;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("in_progress", body.GetProperty("status").GetString());
        Assert.Equal(deployment.Uuid, body.GetProperty("deployment_uuid").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"Answered after {clock.Elapsed}.");
    }

    [Fact]
    public async Task GetDeployment_WaitingWithoutAChange_AnswersTheSameStatusWhenTheTimeIsUp()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.InProgress);
        var clock = Stopwatch.StartNew();

        var response = await factory.RootClient().GetAsync($"/api/v1/deployments/{deployment.Uuid}?wait=1&status=in_progress", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("in_progress", (await response.JsonAsync()).GetProperty("status").GetString());
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950), $"Answered after {clock.Elapsed}.");
    }

    [Theory]
    [InlineData("wait=30&status=queued")]
    [InlineData("wait=30")]
    [InlineData("wait=0&status=finished")]
    public async Task GetDeployment_StatusAlreadyDifferentOrNotGiven_AnswersAtOnce(string query)
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.Finished);
        var clock = Stopwatch.StartNew();

        var response = await factory.RootClient().GetAsync($"/api/v1/deployments/{deployment.Uuid}?{query}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("finished", (await response.JsonAsync()).GetProperty("status").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"Answered after {clock.Elapsed}.");
    }

    [Theory]
    [InlineData("wait=61&status=queued", "wait")]
    [InlineData("wait=-1&status=queued", "wait")]
    [InlineData("wait=abc&status=queued", "wait")]
    [InlineData("wait=5&status=done", "status")]
    [InlineData("wait=5&status=cancelled", "status")]
    public async Task GetDeployment_InvalidWaitOrStatus_Returns422(string query, string field)
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync());

        var response = await factory.RootClient().GetAsync($"/api/v1/deployments/{deployment.Uuid}?{query}", Ct);

        Assert.Single(await Fixtures.ApiAssert.ValidationAsync(response, field));
    }

    [Fact]
    public async Task GetDeployment_WaitOnUnknownDeployment_Returns404AtOnce()
    {
        var response = await factory.RootClient().GetAsync("/api/v1/deployments/nosuchdeployment000000?wait=30&status=queued", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Deployment not found.");
    }
}
