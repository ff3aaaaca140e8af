using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Webhooks;
using Slipway.Testing.Webhooks;

namespace Slipway.Api.Tests.Webhooks;

/// <summary>Pull request webhooks: previews are created, redeployed and removed; forks and the preview limit are refused with a reason.</summary>
public sealed class PreviewWebhookTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string NewHead = "5c2d3f4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d";

    [Theory]
    [InlineData(GitProviders.GitHub, "ec26c3e57ca3a959ca5aad62de7213c562f8c821", "refs/pull/7/head")]
    [InlineData(GitProviders.GitLab, "ec26c3e57ca3a959ca5aad62de7213c562f8c821", "refs/merge-requests/7/head")]
    [InlineData(GitProviders.Gitea, "ec26c3e57ca3a959ca5aad62de7213c562f8c821", "refs/pull/7/head")]
    [InlineData(GitProviders.Bitbucket, "ec26c3e57ca3", "refs/heads/pricing")]
    public async Task PullRequestOpened_CreatesAPreviewAndQueuesItsDeployment(string provider, string head, string sourceRef)
    {
        var scenario = await WebhookScenario.CreateAsync(factory, provider, a =>
        {
            a.IsPreviewDeploymentsEnabled = true;
            a.Fqdn = "https://shop.example.com";
        });

        var response = await scenario.SendAsync(scenario.PullRequestEvent, scenario.PullRequestPayload());

        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        var preview = Assert.Single(await scenario.PreviewsAsync());
        Assert.Equal((7, provider, "https://7.shop.example.com", sourceRef, head), (preview.PullRequestId, preview.GitType, preview.Fqdn, preview.SourceRef, preview.Commit));
        Assert.InRange(preview.Port, 20000, 20999);
        Assert.StartsWith("https://", preview.PullRequestHtmlUrl, StringComparison.Ordinal);
        var deployment = Assert.Single(await scenario.DeploymentsAsync());
        Assert.Equal((7, provider, head, true), (deployment.PullRequestId, deployment.GitType, deployment.Commit, deployment.IsWebhook));
        Assert.EndsWith($"/deployment/{deployment.Uuid}", deployment.DeploymentUrl, StringComparison.Ordinal);
        Assert.Contains($"port {preview.Port}", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(7, body.GetProperty("results")[0].GetProperty("pull_request_id").GetInt32());
    }

    [Fact]
    public async Task PullRequestUpdated_RedeploysTheSamePreviewAtTheNewHead()
    {
        var scenario = await WebhookScenario.CreateAsync(factory, configure: a => a.IsPreviewDeploymentsEnabled = true);
        await scenario.SendAsync(scenario.PullRequestEvent, scenario.PullRequestPayload());

        var updated = scenario.PullRequestPayload().Set("action", "synchronize").Set("pull_request.head.sha", NewHead);
        Assert.Equal(HttpStatusCode.OK, (await scenario.SendAsync(scenario.PullRequestEvent, updated)).StatusCode);

        var preview = Assert.Single(await scenario.PreviewsAsync());
        Assert.Equal(NewHead, preview.Commit);
        Assert.Equal(["ec26c3e57ca3a959ca5aad62de7213c562f8c821", NewHead], (await scenario.DeploymentsAsync()).Select(d => d.Commit));
    }

    [Fact]
    public async Task PullRequestClosed_CancelsItsDeploymentsAndDeletesThePreview()
    {
        var scenario = await WebhookScenario.CreateAsync(factory, configure: a => a.IsPreviewDeploymentsEnabled = true);
        await scenario.SendAsync(scenario.PullRequestEvent, scenario.PullRequestPayload());
        var production = await scenario.Tenant.DeploymentAsync(scenario.Application, commit: "2222222222222222222222222222222222222222");

        var response = await scenario.SendAsync(scenario.PullRequestEvent, scenario.PullRequestPayload().Set("action", "closed").Set("pull_request.merged", true));

        var body = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("closed", body.GetProperty("results")[0].GetProperty("result").GetString());
        Assert.Empty(await scenario.PreviewsAsync());
        var deployments = await scenario.DeploymentsAsync();
        var previewDeployment = deployments.Single(d => d.PullRequestId == 7);
        Assert.Equal(DeploymentStatus.CancelledByUser, previewDeployment.Status);
        Assert.Equal(DeploymentStatus.Queued, deployments.Single(d => d.Id == production.Id).Status);
        await using var db = factory.CreateDbContext();
        var log = await db.DeploymentLogEntries.Where(e => e.DeploymentId == previewDeployment.Id).Select(e => e.Output).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Deployment cancelled: Pull request closed.", log);
    }

    [Fact]
    public async Task PullRequestClosed_WithPreviewsDisabled_StillRemovesThePreview()
    {
        var scenario = await WebhookScenario.CreateAsync(factory, configure: a => a.IsPreviewDeploymentsEnabled = true);
        await scenario.SendAsync(scenario.PullRequestEvent, scenario.PullRequestPayload());
        await using (var db = factory.CreateDbContext())
        {
            await db.Applications.Where(a => a.Id == scenario.Application.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.IsPreviewDeploymentsEnabled, false), TestContext.Current.CancellationToken);
        }

        await scenario.SendAsync(scenario.PullRequestEvent, scenario.PullRequestPayload().Set("action", "closed"));

        Assert.Empty(await scenario.PreviewsAsync());
    }

    [Fact]
    public async Task PullRequestFromAFork_IsNotDeployedUnlessPublicPullRequestsAreAllowed()
    {
        var scenario = await WebhookScenario.CreateAsync(factory, configure: a => a.IsPreviewDeploymentsEnabled = true);
        var fork = scenario.PullRequestPayload()
            .Set("pull_request.head.repo.id", 4242)
            .Set("pull_request.head.repo.full_name", "mallory/site")
            .Set("pull_request.head.repo.fork", true);

        var refused = await (await scenario.SendAsync(scenario.PullRequestEvent, fork)).JsonAsync();
        Assert.Empty(await scenario.PreviewsAsync());
        await using (var db = factory.CreateDbContext())
        {
            await db.Applications.Where(a => a.Id == scenario.Application.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.IsPrDeploymentsPublicEnabled, true), TestContext.Current.CancellationToken);
        }

        await scenario.SendAsync(scenario.PullRequestEvent, fork);

        Assert.Contains("comes from a fork", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single(await scenario.PreviewsAsync());
    }

    [Fact]
    public async Task PullRequestOpened_WithPreviewsDisabled_IsIgnored()
    {
        var scenario = await WebhookScenario.CreateAsync(factory);

        var body = await (await scenario.SendAsync(scenario.PullRequestEvent, scenario.PullRequestPayload())).JsonAsync();

        Assert.Contains("is_preview_deployments_enabled", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(await scenario.PreviewsAsync());
        Assert.Empty(await scenario.DeploymentsAsync());
    }

    [Fact]
    public async Task PullRequestsBeyondThePreviewLimit_AreRefusedWithARecordedReason()
    {
        var scenario = await WebhookScenario.CreateAsync(factory, configure: a =>
        {
            a.IsPreviewDeploymentsEnabled = true;
            a.PreviewDeploymentsLimit = 2;
        });

        foreach (var number in new[] { 1, 2, 3 })
        {
            await scenario.SendAsync(scenario.PullRequestEvent, scenario.PullRequestPayload().Set("number", number).Set("pull_request.number", number));
        }

        Assert.Equal([1, 2], (await scenario.PreviewsAsync()).Select(p => p.PullRequestId));
        var limited = (await scenario.DeliveriesAsync()).Last();
        Assert.Equal(("limited", 3), (limited.Result, limited.PullRequestId));
        Assert.StartsWith("Preview limit reached: 2 of 2 previews exist", limited.Message, StringComparison.Ordinal);
        var ports = (await scenario.PreviewsAsync()).Select(p => p.Port).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    [Fact]
    public async Task PreviewPorts_SkipPortsThatApplicationsOnTheServerExpose()
    {
        var scenario = await WebhookScenario.CreateAsync(factory, configure: a =>
        {
            a.IsPreviewDeploymentsEnabled = true;
            a.PortsExposes = "20000,20001";
        });

        await scenario.SendAsync(scenario.PullRequestEvent, scenario.PullRequestPayload());

        Assert.Equal(20002, Assert.Single(await scenario.PreviewsAsync()).Port);
    }
}
