using System.Net;
using System.Text;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;
using Slipway.Core.Webhooks;
using Slipway.Testing.Webhooks;

namespace Slipway.Api.Tests.Webhooks;

/// <summary>Every delivery is recorded and listed; a repeated delivery id gets the original answer; odd deliveries get clear 2xx/4xx answers.</summary>
public sealed class WebhookDeliveryTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData(GitProviders.GitHub)]
    [InlineData(GitProviders.GitLab)]
    [InlineData(GitProviders.Gitea)]
    [InlineData(GitProviders.Bitbucket)]
    public async Task Push_DeliveredTwiceWithOneId_IsAnsweredWithTheOriginalResultAndQueuesOnce(string provider)
    {
        var scenario = await WebhookScenario.CreateAsync(factory, provider);

        var first = await scenario.PushAsync("retry-me");
        var second = await scenario.PushAsync("retry-me");

        var original = await first.JsonAsync();
        var replayed = await second.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(original.GetProperty("results").ToString(), replayed.GetProperty("results").ToString());
        Assert.True(replayed.GetProperty("replayed").GetBoolean());
        Assert.False(original.GetProperty("replayed").GetBoolean());
        Assert.Equal("true", second.Headers.GetValues("Slipway-Delivery-Replayed").Single());
        Assert.Single(await scenario.DeploymentsAsync());
        Assert.Single(await scenario.DeliveriesAsync());
    }

    [Fact]
    public async Task GitLabPush_WithoutDeliveryHeader_IsDeduplicatedByItsBody()
    {
        var scenario = await WebhookScenario.CreateAsync(factory, GitProviders.GitLab);
        var body = scenario.PushPayload().Bytes();

        foreach (var _ in Enumerable.Range(0, 2))
        {
            using var client = factory.ClientWith(null);
            using var request = WebhookPayloads.Delivery(GitProviders.GitLab, "Push Hook", body, scenario.Secret);
            request.Headers.Remove("X-Gitlab-Event-UUID");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode);
        }

        var recorded = Assert.Single(await scenario.DeliveriesAsync());
        Assert.StartsWith("sha256:", recorded.DeliveryId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedDelivery_ReusingAGenuineDeliveryId_DoesNotBlockTheGenuineOne()
    {
        var scenario = await WebhookScenario.CreateAsync(factory);

        var forged = await scenario.SendAsync(scenario.PushEvent, scenario.PushPayload(), deliveryId: "guessed-id", secret: "wrong");
        var genuine = await scenario.PushAsync("guessed-id");

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Single(await scenario.DeploymentsAsync());
    }

    [Fact]
    public async Task WebhookDeliveries_ListsEveryDeliveryNewestFirstWithWhatItDid()
    {
        var scenario = await WebhookScenario.CreateAsync(factory);
        await scenario.PushAsync("d-queued");
        await scenario.SendAsync("ping", WebhookPayloads.Load("github-ping", scenario.RepositoryName), "d-ping");
        await scenario.SendAsync(scenario.PushEvent, scenario.PushPayload(), "d-forged", secret: "wrong");
        var reader = await scenario.Tenant.ClientAsync(ApiAbility.Read);

        var response = await reader.GetAsync($"/api/v1/applications/{scenario.Application.Uuid}/webhook-deliveries", TestContext.Current.CancellationToken);
        var refusedResponse = await reader.GetAsync($"/api/v1/applications/{scenario.Application.Uuid}/webhook-deliveries/refused", TestContext.Current.CancellationToken);

        var body = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, body.GetProperty("count").GetInt32());
        var deliveries = body.GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Equal(["d-ping", "d-queued"], deliveries.Select(d => d.GetProperty("delivery_id").GetString()));
        Assert.Equal(["ignored", "queued"], deliveries.Select(d => d.GetProperty("result").GetString()));
        Assert.Equal([200, 200], deliveries.Select(d => d.GetProperty("status_code").GetInt32()));
        var refused = await refusedResponse.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, refusedResponse.StatusCode);
        var forged = Assert.Single(refused.GetProperty("deliveries").EnumerateArray());
        Assert.Equal(
            ["id", "provider", "event", "delivery_id", "repository", "source_address", "result", "message", "status_code", "created_at"],
            forged.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("d-forged", "unauthorized", 401, $"octo-org/{scenario.RepositoryName}"), (forged.GetProperty("delivery_id").GetString(),
            forged.GetProperty("result").GetString(), forged.GetProperty("status_code").GetInt32(), forged.GetProperty("repository").GetString()));
        var queued = deliveries[1];
        Assert.Equal(("github", "push", $"octo-org/{scenario.RepositoryName}", "main"),
            (queued.GetProperty("provider").GetString(), queued.GetProperty("event").GetString(), queued.GetProperty("repository").GetString(), queued.GetProperty("branch").GetString()));
        Assert.Equal((await scenario.DeploymentsAsync()).Single().Uuid, queued.GetProperty("deployment_uuids")[0].GetString());
        Assert.DoesNotContain(scenario.Secret, body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebhookDeliveries_OfAnotherTeamsApplication_Is404()
    {
        var scenario = await WebhookScenario.CreateAsync(factory);
        var stranger = await (await Deployments.Tenant.CreateAsync(factory)).ClientAsync(ApiAbility.Read);

        var response = await stranger.GetAsync($"/api/v1/applications/{scenario.Application.Uuid}/webhook-deliveries", TestContext.Current.CancellationToken);

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Application not found.");
    }

    [Theory]
    [InlineData("ping", "github-ping")]
    [InlineData("issues", "github-push")]
    [InlineData("star", "github-push")]
    public async Task UnsupportedEvent_SignedCorrectly_Is200Ignored(string eventName, string file)
    {
        var scenario = await WebhookScenario.CreateAsync(factory);

        var response = await scenario.SendAsync(eventName, WebhookPayloads.Load(file, scenario.RepositoryName));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"Event '{eventName}' is not supported; ignored.", (await response.JsonAsync()).GetProperty("message").GetString());
        Assert.Empty(await scenario.DeploymentsAsync());
    }

    [Theory]
    [InlineData(GitProviders.GitLab, "Tag Push Hook", "tag_push")]
    [InlineData(GitProviders.Gitea, "issues", "issues")]
    [InlineData(GitProviders.Bitbucket, "repo:commit_comment_created", "repo:commit_comment_created")]
    public async Task UnsupportedEvent_OfTheOtherProviders_Is200Ignored(string provider, string header, string name)
    {
        var scenario = await WebhookScenario.CreateAsync(factory, provider);
        var payload = scenario.PushPayload();
        if (provider == GitProviders.GitLab)
        {
            // GitLab names the event in the body too, and the body wins.
            payload.Set("object_kind", name);
        }

        var response = await scenario.SendAsync(header, payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"Event '{name}' is not supported; ignored.", (await response.JsonAsync()).GetProperty("message").GetString());
        Assert.Empty(await scenario.DeploymentsAsync());
        Assert.Equal("ignored", Assert.Single(await scenario.DeliveriesAsync()).Result);
    }

    [Fact]
    public async Task Ping_WithAWrongSecret_Is401SoTheProviderShowsTheMistakeAtOnce()
    {
        var scenario = await WebhookScenario.CreateAsync(factory);

        var response = await scenario.SendAsync("ping", WebhookPayloads.Load("github-ping", scenario.RepositoryName), secret: "typo");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task UnsupportedEvent_WithoutARepository_Is200IgnoredAndRecorded()
    {
        using var client = factory.ClientWith(null);
        using var request = WebhookPayloads.Delivery(GitProviders.GitHub, "installation", Encoding.UTF8.GetBytes("{\"action\":\"created\"}"), "any");

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ignored", (await response.JsonAsync()).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all", "The payload is not valid JSON.")]
    [InlineData("[1,2,3]", "The payload must be a JSON object.")]
    [InlineData("{\"a\":", "The payload is not valid JSON.")]
    public async Task MalformedBody_Is400WithAClearMessage(string body, string message)
    {
        using var client = factory.ClientWith(null);
        using var request = WebhookPayloads.Delivery(GitProviders.GitHub, "push", Encoding.UTF8.GetBytes(body), "any");

        await ApiAssert.MessageAsync(await client.SendAsync(request, TestContext.Current.CancellationToken), HttpStatusCode.BadRequest, message);
    }

    [Fact]
    public async Task BodyOverFiveMegabytes_Is413()
    {
        using var client = factory.ClientWith(null);
        var body = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 5 * 1024 * 1024) + "\"}");
        using var request = WebhookPayloads.Delivery(GitProviders.GitHub, "push", body, "any");

        await ApiAssert.MessageAsync(await client.SendAsync(request, TestContext.Current.CancellationToken), HttpStatusCode.RequestEntityTooLarge, "The webhook body is larger than 5 MB.");
    }

    [Fact]
    public async Task SupportedEventWithBrokenPayload_Is422ForTheVerifiedApplication()
    {
        var scenario = await WebhookScenario.CreateAsync(factory);

        var response = await scenario.SendAsync(scenario.PushEvent, scenario.PushPayload().Set("ref", JsonValueOf(42)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("The push payload has no ref.", (await response.JsonAsync()).GetProperty("message").GetString());
        Assert.Empty(await scenario.DeploymentsAsync());
    }

    [Fact]
    public async Task FormEncodedGitHubDelivery_IsReadFromItsPayloadField()
    {
        var scenario = await WebhookScenario.CreateAsync(factory);
        var form = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(scenario.PushPayload().ToJsonString()));
        using var client = factory.ClientWith(null);
        using var request = WebhookPayloads.Delivery(GitProviders.GitHub, "push", form, scenario.Secret);
        request.Content!.Headers.ContentType = new("application/x-www-form-urlencoded");

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await scenario.DeploymentsAsync());
    }

    [Fact]
    public async Task Push_WhenTheServersQueueIsFull_Is429WithRetryAfterAndARedeliveryIsProcessedAgain()
    {
        var scenario = await WebhookScenario.CreateAsync(factory, queueLimit: 1);
        await scenario.Tenant.DeploymentAsync(scenario.Application, commit: "1111111111111111111111111111111111111111");

        var full = await scenario.PushAsync("busy-delivery");
        await using (var db = factory.CreateDbContext())
        {
            db.Deployments.RemoveRange(db.Deployments.Where(d => d.ApplicationId == scenario.Application.Id));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var redelivered = await scenario.PushAsync("busy-delivery");

        Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
        Assert.Equal("60", full.Headers.RetryAfter!.ToString());
        Assert.Equal("queue_full", (await full.JsonAsync()).GetProperty("results")[0].GetProperty("result").GetString());
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Single(await scenario.DeploymentsAsync());
    }

    [Fact]
    public async Task Endpoints_AreOutsideTheTokenAuthenticatedApi()
    {
        using var client = factory.ClientWith("1|not-a-token");
        using var request = WebhookPayloads.Delivery(GitProviders.GitHub, "ping", Encoding.UTF8.GetBytes("{}"), "x");

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static System.Text.Json.Nodes.JsonNode JsonValueOf(int value) => System.Text.Json.Nodes.JsonValue.Create(value);
}
