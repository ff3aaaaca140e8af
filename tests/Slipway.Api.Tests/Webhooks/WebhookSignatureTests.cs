using System.Net;
using System.Text.Json;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Webhooks;
using Slipway.Testing.Webhooks;

namespace Slipway.Api.Tests.Webhooks;

/// <summary>Each provider's verification through the real endpoints: only a delivery signed with the application's secret queues anything.</summary>
public sealed class WebhookSignatureTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    public static TheoryData<string> Providers => [GitProviders.GitHub, GitProviders.GitLab, GitProviders.Gitea, GitProviders.Bitbucket];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Push_SignedWithTheApplicationsSecret_QueuesAWebhookDeployment(string provider)
    {
        var scenario = await WebhookScenario.CreateAsync(factory, provider);
        var payload = scenario.PushPayload();

        var response = await scenario.SendAsync(scenario.PushEvent, payload, deliveryId: "delivery-1");

        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        var result = body.GetProperty("results").EnumerateArray().Single();
        Assert.Equal((scenario.Application.Uuid, "queued"), (result.GetProperty("application_uuid").GetString(), result.GetProperty("result").GetString()));
        var deployment = Assert.Single(await scenario.DeploymentsAsync());
        Assert.Equal(result.GetProperty("deployment_uuids")[0].GetString(), deployment.Uuid);
        Assert.True(deployment.IsWebhook);
        Assert.False(deployment.IsApi);
        Assert.Equal(0, deployment.PullRequestId);
        Assert.Null(deployment.GitType);
        Assert.Equal(DeploymentStatus.Queued, deployment.Status);
        Assert.Matches("^[0-9a-f]{40}$", deployment.Commit);
        Assert.StartsWith("Update the landing page", deployment.CommitMessage, StringComparison.Ordinal);
        Assert.Equal(("delivery-1", provider), (body.GetProperty("delivery_id").GetString(), body.GetProperty("provider").GetString()));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Push_SignedWithAnotherSecret_Is401AndQueuesNothing(string provider)
    {
        var scenario = await WebhookScenario.CreateAsync(factory, provider);

        var response = await scenario.SendAsync(scenario.PushEvent, scenario.PushPayload(), secret: "not-the-secret");

        await ApiAssertMessageStartsAsync(response, HttpStatusCode.Unauthorized, "Invalid signature: no application connected to this repository accepted it.");
        Assert.Empty(await scenario.DeploymentsAsync());
        Assert.Empty(await scenario.DeliveriesAsync());
        var recorded = Assert.Single(await scenario.RefusedAsync());
        Assert.Equal(("unauthorized", 401, provider), (recorded.Result, recorded.StatusCode, recorded.Provider));
    }

    [Theory]
    [InlineData(GitProviders.GitHub, "Missing X-Hub-Signature-256 header")]
    [InlineData(GitProviders.GitLab, "Missing X-Gitlab-Token header")]
    [InlineData(GitProviders.Gitea, "Missing X-Hub-Signature-256 header")]
    [InlineData(GitProviders.Bitbucket, "Missing X-Hub-Signature header")]
    public async Task Push_WithoutSignature_Is401NamingTheHeader(string provider, string message)
    {
        var scenario = await WebhookScenario.CreateAsync(factory, provider);

        var response = await scenario.SendAsync(scenario.PushEvent, scenario.PushPayload(), secret: null);

        await ApiAssertMessageStartsAsync(response, HttpStatusCode.Unauthorized, message);
        Assert.Empty(await scenario.DeploymentsAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Push_ToAnApplicationWithoutSecret_IsRefusedEvenWhenSignedWithTheEmptyKey(string provider)
    {
        var scenario = await WebhookScenario.CreateAsync(factory, provider, a =>
        {
            a.ProtectedWebhookSecretGithub = null;
            a.ProtectedWebhookSecretGitlab = null;
            a.ProtectedWebhookSecretGitea = null;
            a.ProtectedWebhookSecretBitbucket = null;
        });
        var payload = scenario.PushPayload();
        // An HMAC with an empty key, or an empty GitLab token (not sent at all by HttpClient, so use a space).
        var signature = provider == GitProviders.GitLab ? " " : string.Empty;

        var response = await scenario.SendAsync(scenario.PushEvent, payload, secret: signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await scenario.DeploymentsAsync());
    }

    [Theory]
    [InlineData("sha1=")]
    [InlineData("SHA1=")]
    [InlineData("md5=")]
    public async Task BitbucketPush_SignatureWithAnotherAlgorithm_IsRefused(string prefix)
    {
        var scenario = await WebhookScenario.CreateAsync(factory, GitProviders.Bitbucket);
        var body = scenario.PushPayload().Bytes();
        // What a client choosing a weaker algorithm would send: the digest never matters, the algorithm is refused first.
        const string digest = "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12";

        using var client = factory.ClientWith(null);
        using var request = WebhookPayloads.Delivery(GitProviders.Bitbucket, "repo:push", body, null);
        request.Headers.TryAddWithoutValidation("X-Hub-Signature", prefix + digest);
        var refused = await client.SendAsync(request, TestContext.Current.CancellationToken);

        await ApiAssertMessageStartsAsync(refused, HttpStatusCode.Unauthorized, $"Unsupported signature algorithm '{prefix.TrimEnd('=')}' in X-Hub-Signature: only sha256 is accepted.");
        Assert.Empty(await scenario.DeploymentsAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Push_BodyChangedAfterSigning_IsRefused(string provider)
    {
        var scenario = await WebhookScenario.CreateAsync(factory, provider);
        var signed = scenario.PushPayload().Bytes();
        var forged = scenario.PushPayload().Set(provider == GitProviders.Bitbucket ? "push.changes.0.new.target.hash" : "after", new string('f', 40)).Bytes();
        using var client = factory.ClientWith(null);
        using var request = WebhookPayloads.Delivery(provider, scenario.PushEvent, forged, null);
        var header = provider switch { GitProviders.Bitbucket => "X-Hub-Signature", _ => "X-Hub-Signature-256" };
        if (provider == GitProviders.GitLab)
        {
            // GitLab's token does not cover the body; its forgery is a wrong token.
            request.Headers.TryAddWithoutValidation("X-Gitlab-Token", scenario.Secret + "x");
        }
        else
        {
            request.Headers.TryAddWithoutValidation(header, WebhookSignature.Sign(signed, scenario.Secret));
        }

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await scenario.DeploymentsAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Secrets_SetThroughTheApplicationsApi_AreStoredEncryptedShownOnlyToSensitiveReadersAndVerifyDeliveries(string provider)
    {
        var field = $"manual_webhook_secret_{provider}";
        var scenario = await WebhookScenario.CreateAsync(factory, provider, a => SetStoredSecret(a, provider, null));
        var writer = await scenario.Tenant.ClientAsync(Core.Tokens.ApiAbility.Write);
        var patched = await writer.PatchJsonAsync($"/api/v1/applications/{scenario.Application.Uuid}", new Dictionary<string, string> { [field] = "set-through-the-api" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        var response = await scenario.SendAsync(scenario.PushEvent, scenario.PushPayload(), secret: "set-through-the-api");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await scenario.DeploymentsAsync());
        await using var db = factory.CreateDbContext();
        var stored = StoredSecret(db.Applications.Single(a => a.Id == scenario.Application.Id), provider)!;
        Assert.DoesNotContain("set-through-the-api", stored, StringComparison.Ordinal);
        var reader = await scenario.Tenant.ClientAsync(Core.Tokens.ApiAbility.Read);
        var plain = await (await reader.GetAsync($"/api/v1/applications/{scenario.Application.Uuid}", TestContext.Current.CancellationToken)).JsonAsync();
        Assert.False(plain.TryGetProperty(field, out _));
        var sensitive = await scenario.Tenant.ClientAsync(Core.Tokens.ApiAbility.Read | Core.Tokens.ApiAbility.ReadSensitive);
        var revealed = await (await sensitive.GetAsync($"/api/v1/applications/{scenario.Application.Uuid}", TestContext.Current.CancellationToken)).JsonAsync();
        Assert.Equal("set-through-the-api", revealed.GetProperty(field).GetString());
    }

    private static string? StoredSecret(Core.Applications.Application a, string provider) => provider switch
    {
        GitProviders.GitHub => a.ProtectedWebhookSecretGithub,
        GitProviders.GitLab => a.ProtectedWebhookSecretGitlab,
        GitProviders.Gitea => a.ProtectedWebhookSecretGitea,
        _ => a.ProtectedWebhookSecretBitbucket,
    };

    private static void SetStoredSecret(Core.Applications.Application a, string provider, string? value)
    {
        if (provider == GitProviders.GitHub)
        {
            a.ProtectedWebhookSecretGithub = value;
        }
        else if (provider == GitProviders.GitLab)
        {
            a.ProtectedWebhookSecretGitlab = value;
        }
        else if (provider == GitProviders.Gitea)
        {
            a.ProtectedWebhookSecretGitea = value;
        }
        else
        {
            a.ProtectedWebhookSecretBitbucket = value;
        }
    }

    private static async Task ApiAssertMessageStartsAsync(HttpResponseMessage response, HttpStatusCode status, string start)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith(start, JsonDocument.Parse(body).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
