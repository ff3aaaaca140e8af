using System.Net;
using System.Text.Json;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Webhooks;
using Slipway.Testing.Webhooks;

namespace Slipway.Api.Tests.Webhooks;

/// <summary>
/// A push is deployed only while its commit is still the branch's head on the git host: a captured old delivery sent
/// again (with a new delivery id, its signature still valid) is recorded as stale and queues nothing. These tests answer
/// the host's side with <see cref="FakeBranchHeads"/>; WebhookDeploymentTests asks a real repository with git ls-remote.
/// </summary>
public sealed class StalePushTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Newer = "0123456789abcdef0123456789abcdef01234567";

    [Theory]
    [InlineData(GitProviders.GitHub)]
    [InlineData(GitProviders.GitLab)]
    [InlineData(GitProviders.Gitea)]
    [InlineData(GitProviders.Bitbucket)]
    public async Task Push_CommitNoLongerTheBranchHead_IsRecordedStaleAndQueuesNothing(string provider)
    {
        var scenario = await WebhookScenario.CreateAsync(factory, provider);
        factory.Heads.SetHead(scenario.Application.GitRepository!, Newer);

        var response = await scenario.PushAsync($"replay-{Guid.NewGuid():N}");

        var result = await SingleResultAsync(response);
        Assert.Equal("stale", result.GetProperty("result").GetString());
        Assert.Matches(@"^Commit [0-9a-f]{12} is no longer the head of 'main' \(the git host says 0123456789ab\): an old or replayed push deploys nothing\.$",
            result.GetProperty("message").GetString());
        Assert.Empty(await scenario.DeploymentsAsync());
        var recorded = Assert.Single(await scenario.DeliveriesAsync());
        Assert.Equal(("stale", true, 200), (recorded.Result, recorded.Verified, recorded.StatusCode));
        var asked = Assert.Single(factory.Heads.Queries, q => q.Repository == scenario.Application.GitRepository);
        Assert.Equal(("main", scenario.Tenant.Server.Id, null, null), (asked.Branch, asked.Server.Id, asked.DeployKey, asked.PinnedHostKeys));
    }

    [Fact]
    public async Task Push_ReplayOfAnOlderPushWithANewDeliveryId_AfterANewerOne_DeploysOnlyTheNewer()
    {
        var scenario = await WebhookScenario.CreateAsync(factory);
        var old = scenario.PushPayload();
        var newer = scenario.PushPayload().Set("after", Newer);

        Assert.Equal("queued", (await SingleResultAsync(await scenario.SendAsync(scenario.PushEvent, old, "push-1"))).GetProperty("result").GetString());
        factory.Heads.SetHead(scenario.Application.GitRepository!, Newer);
        Assert.Equal("queued", (await SingleResultAsync(await scenario.SendAsync(scenario.PushEvent, newer, "push-2"))).GetProperty("result").GetString());
        var replayed = await SingleResultAsync(await scenario.SendAsync(scenario.PushEvent, old, "push-1-captured-and-resent"));

        Assert.Equal("stale", replayed.GetProperty("result").GetString());
        Assert.Equal([old["after"]!.GetValue<string>(), Newer], (await scenario.DeploymentsAsync()).Select(d => d.Commit));
    }

    [Fact]
    public async Task Push_BranchGoneFromTheHost_IsStale()
    {
        var scenario = await WebhookScenario.CreateAsync(factory);
        factory.Heads.SetHead(scenario.Application.GitRepository!, null);

        var result = await SingleResultAsync(await scenario.PushAsync());

        Assert.Equal(("stale", "Branch 'main' does not exist on the git host any more: nothing to deploy."),
            (result.GetProperty("result").GetString(), result.GetProperty("message").GetString()));
        Assert.Empty(await scenario.DeploymentsAsync());
    }

    [Fact]
    public async Task Push_HostCannotBeAsked_QueuesTheBranchHeadResolvedWhenTheDeploymentStarts()
    {
        var scenario = await WebhookScenario.CreateAsync(factory);
        factory.Heads.SetUnreachable(scenario.Application.GitRepository!);

        var result = await SingleResultAsync(await scenario.PushAsync());

        Assert.Equal("queued", result.GetProperty("result").GetString());
        Assert.StartsWith("Deployment queued for the head of 'main': the git host did not confirm within 5 s that ", result.GetProperty("message").GetString(), StringComparison.Ordinal);
        var deployment = Assert.Single(await scenario.DeploymentsAsync());
        Assert.Equal(("HEAD", null, true), (deployment.Commit, deployment.CommitMessage, deployment.IsWebhook));
    }

    private static async Task<JsonElement> SingleResultAsync(HttpResponseMessage response)
    {
        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return Assert.Single(body.GetProperty("results").EnumerateArray());
    }
}
