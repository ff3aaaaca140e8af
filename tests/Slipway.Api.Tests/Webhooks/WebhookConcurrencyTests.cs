using System.Net;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Testing.Webhooks;

namespace Slipway.Api.Tests.Webhooks;

/// <summary>Fifty deliveries at once: deduplication, the queue limit and the preview limit hold.</summary>
public sealed class WebhookConcurrencyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const int Deliveries = 50;

    [Fact]
    public async Task OneDeliverySentFiftyTimesAtOnce_QueuesOneDeploymentAndEveryAnswerIsTheOriginal()
    {
        var scenario = await WebhookScenario.CreateAsync(factory);

        var responses = await Task.WhenAll(Enumerable.Range(0, Deliveries).Select(_ => scenario.PushAsync("the-same-delivery")));

        var bodies = await Task.WhenAll(responses.Select(r => r.JsonAsync()));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var deployment = Assert.Single(await scenario.DeploymentsAsync());
        Assert.All(bodies, b => Assert.Equal(deployment.Uuid, b.GetProperty("results")[0].GetProperty("deployment_uuids")[0].GetString()));
        Assert.All(bodies, b => Assert.Equal("queued", b.GetProperty("results")[0].GetProperty("result").GetString()));
        Assert.Equal(Deliveries - 1, bodies.Count(b => b.GetProperty("replayed").GetBoolean()));
        Assert.Single(await scenario.DeliveriesAsync());
    }

    [Fact]
    public async Task FiftyDeliveriesOfOneCommitAtOnce_QueueOneDeployment()
    {
        var scenario = await WebhookScenario.CreateAsync(factory);

        var responses = await Task.WhenAll(Enumerable.Range(0, Deliveries).Select(i => scenario.PushAsync($"delivery-{i}")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var deployment = Assert.Single(await scenario.DeploymentsAsync());
        var results = (await Task.WhenAll(responses.Select(r => r.JsonAsync()))).Select(b => b.GetProperty("results")[0]).ToList();
        Assert.Single(results, r => r.GetProperty("result").GetString() == "queued");
        Assert.Equal(Deliveries - 1, results.Count(r => r.GetProperty("result").GetString() == "already_queued"));
        Assert.All(results, r => Assert.Equal(deployment.Uuid, r.GetProperty("deployment_uuids")[0].GetString()));
    }

    [Fact]
    public async Task FiftyPushesOfDifferentCommitsAtOnce_OnAServerWithQueueLimit10_Queue10AndAnswer429ToTheRest()
    {
        var scenario = await WebhookScenario.CreateAsync(factory, queueLimit: 10);

        // From 1: an all-zero "after" means the branch was deleted, which is ignored rather than queued.
        var responses = await Task.WhenAll(Enumerable.Range(1, Deliveries).Select(i =>
            scenario.SendAsync(scenario.PushEvent, scenario.PushPayload().Set("after", i.ToString("x40", System.Globalization.CultureInfo.InvariantCulture)), $"commit-{i}")));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(Deliveries - 10, refused.Count);
        Assert.All(refused, r => Assert.Equal("60", r.Headers.RetryAfter!.ToString()));
        var deployments = await scenario.DeploymentsAsync();
        Assert.Equal(10, deployments.Count);
        Assert.All(deployments, d => Assert.Equal(DeploymentStatus.Queued, d.Status));
        Assert.Equal(10, deployments.Select(d => d.Commit).Distinct().Count());
    }

    [Fact]
    public async Task FiftyPullRequestsOpenedAtOnce_CreateOnlyAsManyPreviewsAsTheLimitOnDistinctPorts()
    {
        var scenario = await WebhookScenario.CreateAsync(factory, configure: a => a.IsPreviewDeploymentsEnabled = true);

        var responses = await Task.WhenAll(Enumerable.Range(1, Deliveries).Select(n =>
            scenario.SendAsync(scenario.PullRequestEvent, scenario.PullRequestPayload().Set("number", n).Set("pull_request.number", n))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var previews = await scenario.PreviewsAsync();
        Assert.Equal(3, previews.Count);
        Assert.Equal(3, previews.Select(p => p.Port).Distinct().Count());
        Assert.Equal(3, (await scenario.DeploymentsAsync()).Count);
        Assert.Equal(Deliveries - 3, (await scenario.DeliveriesAsync()).Count(d => d.Result == "limited"));
    }
}
