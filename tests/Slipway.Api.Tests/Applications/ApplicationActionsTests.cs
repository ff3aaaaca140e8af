using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Applications;

public sealed class ApplicationActionsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Seeder _seed = new(factory);

    [Fact]
    public async Task Start_QueuesDeployment_SecondStartReturnsSameUuid()
    {
        var app = await _seed.ApplicationAsync(name: "start");

        var first = await (await factory.RootClient().PostAsync($"/api/v1/applications/{app.Uuid}/start", null, TestContext.Current.CancellationToken)).NodeAsync();
        var second = await (await factory.RootClient().PostAsync($"/api/v1/applications/{app.Uuid}/start", null, TestContext.Current.CancellationToken)).NodeAsync();

        Assert.Equal("Deployment request queued.", first["message"]!.GetValue<string>());
        Assert.Equal("Deployment already queued for this commit.", second["message"]!.GetValue<string>());
        Assert.Equal(first["deployment_uuid"]!.GetValue<string>(), second["deployment_uuid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Restart_QueuesRestartOnlyDeployment()
    {
        var app = await _seed.ApplicationAsync(name: "restart");

        var json = await (await factory.RootClient().PostAsync($"/api/v1/applications/{app.Uuid}/restart", null, TestContext.Current.CancellationToken)).NodeAsync();

        Assert.Equal("Restart request queued.", json["message"]!.GetValue<string>());
        var deployment = await factory.RootClient().GetJsonAsync($"/api/v1/deployments/{json["deployment_uuid"]!.GetValue<string>()}");
        Assert.True(deployment["restart_only"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Start_FullQueue_Returns429WithRetryAfterAndStoresNothing()
    {
        var server = await _seed.ServerAsync(queueLimit: 1);
        var busy = await _seed.ApplicationAsync(name: "busy", server: server);
        await _seed.DeploymentAsync(busy, DeploymentStatus.Queued);
        var app = await _seed.ApplicationAsync(name: "waiting", server: server);

        var response = await factory.RootClient().PostAsync($"/api/v1/applications/{app.Uuid}/start", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("60", response.Headers.RetryAfter!.ToString());
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Deployments.AnyAsync(d => d.ApplicationId == app.Id, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("start")]
    [InlineData("restart")]
    [InlineData("stop")]
    public async Task Get_OnAction_Returns405WithAllowPost(string action)
    {
        var app = await _seed.ApplicationAsync(name: "get-" + action);

        var response = await factory.RootClient().GetAsync($"/api/v1/applications/{app.Uuid}/{action}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", string.Join(',', response.Content.Headers.Allow));
        Assert.Equal("This endpoint has changed to a POST request.", (await response.NodeAsync())["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rollback_ValidCommit_QueuesRollbackDeployment()
    {
        var app = await _seed.ApplicationAsync(name: "rollback");
        const string commit = "0123456789abcdef0123456789abcdef01234567";

        var json = await (await factory.RootClient().PostBodyAsync($"/api/v1/applications/{app.Uuid}/rollback", new { commit })).NodeAsync();

        Assert.Equal("Rollback deployment queued.", json["message"]!.GetValue<string>());
        var deployment = await factory.RootClient().GetJsonAsync($"/api/v1/deployments/{json["deployment_uuid"]!.GetValue<string>()}");
        Assert.True(deployment["rollback"]!.GetValue<bool>());
        Assert.Equal(commit, deployment["commit"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"commit\":\"HEAD'; id >/tmp/poc; #\"}", "commit")]
    [InlineData("{\"commit\":\"abc123\",\"force\":true}", "force")]
    [InlineData("{}", "commit")]
    public async Task Rollback_BadBody_Returns422(string body, string field)
    {
        var app = await _seed.ApplicationAsync(name: "rollback-bad-" + field);

        var response = await factory.RootClient().PostBodyAsync($"/api/v1/applications/{app.Uuid}/rollback", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(field, await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task Stop_ReadToken_Returns403DeployMissing()
    {
        var app = await _seed.ApplicationAsync(name: "stop-read");

        var response = await factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read))
            .PostAsync($"/api/v1/applications/{app.Uuid}/stop", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Missing required permissions: deploy", (await response.NodeAsync())["message"]!.GetValue<string>());
    }
}
