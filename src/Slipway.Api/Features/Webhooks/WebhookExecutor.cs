using Slipway.Api.Features.Deployments;
using Slipway.Api.Features.Previews;
using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Webhooks;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Webhooks;

/// <summary>
/// Carries out what <see cref="WebhookRules"/> decided for one application: queue the branch's deployment (the
/// engine's queue rules — dedupe, queue limit — apply as for any trigger), deploy a pull request's preview, or
/// remove it. A failure here is the application's outcome (recorded, answered), not an unhandled error.
/// </summary>
public sealed partial class WebhookExecutor(SlipwayDbContext db, DeploymentQueue queue, PreviewService previews, ILogger<WebhookExecutor> logger)
{
    public async Task<WebhookOutcome> RunAsync(Application application, WebhookEvent delivery, CancellationToken cancellationToken)
    {
        var decision = WebhookRules.Decide(application, delivery);
        try
        {
            return decision.Action switch
            {
                WebhookAction.DeployBranch => await DeployBranchAsync(application, decision, cancellationToken),
                WebhookAction.DeployPreview => await DeployPreviewAsync(application, delivery, decision, cancellationToken),
                WebhookAction.ClosePreview => await ClosePreviewAsync(application, delivery.PullRequestId, cancellationToken),
                _ => new WebhookOutcome(application, WebhookResults.Ignored, decision.Message, []),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogActionFailed(logger, ex, decision.Action, application.Uuid);
            return new WebhookOutcome(application, WebhookResults.Failed, $"Acting on the delivery failed: {ex.Message}", []);
        }
    }

    private async Task<WebhookOutcome> DeployBranchAsync(Application application, WebhookDecision decision, CancellationToken cancellationToken)
    {
        var target = await DeploymentTargets.LoadAsync(db, application, cancellationToken);
        var result = await queue.EnqueueAsync(target, new DeploymentRequest
        {
            Commit = decision.Commit,
            CommitMessage = decision.CommitMessage,
            IsWebhook = true,
        }, cancellationToken);
        return FromQueue(application, result, decision.Message);
    }

    private async Task<WebhookOutcome> DeployPreviewAsync(Application application, WebhookEvent delivery, WebhookDecision decision, CancellationToken cancellationToken)
    {
        var request = new PreviewRequest(delivery.PullRequestId, decision.Commit!, decision.CommitMessage, delivery.Provider,
            delivery.PullRequestUrl, delivery.SourceRef, IsWebhook: true);
        var deployed = await previews.DeployAsync(application, request, cancellationToken);
        if (deployed.Preview is not { } preview)
        {
            return new WebhookOutcome(application, WebhookResults.Limited, deployed.Refusal!, []);
        }

        var address = preview.Fqdn is null ? $"port {preview.Port}" : $"{preview.Fqdn}, port {preview.Port}";
        return FromQueue(application, deployed.Queued!, $"{decision.Message[..^1]} ({address}).");
    }

    private async Task<WebhookOutcome> ClosePreviewAsync(Application application, int pullRequestId, CancellationToken cancellationToken)
    {
        var removal = await previews.RemoveAsync(application, pullRequestId, PreviewService.ClosedReason, cancellationToken);
        var message = removal.Existed
            ? $"Pull request #{pullRequestId} closed: preview removed with its containers and images; {removal.CancelledDeployments.Count} deployment(s) cancelled."
            : $"Pull request #{pullRequestId} closed: it had no preview.";
        return new WebhookOutcome(application, WebhookResults.Closed, message, removal.CancelledDeployments);
    }

    private static WebhookOutcome FromQueue(Application application, EnqueueResult result, string queuedMessage) => result.Outcome switch
    {
        EnqueueOutcome.QueueFull => new WebhookOutcome(application, WebhookResults.QueueFull, EnqueueResult.QueueFullMessage, []),
        EnqueueOutcome.Duplicate => new WebhookOutcome(application, WebhookResults.AlreadyQueued, EnqueueResult.DuplicateMessage, [result.Deployment!.Uuid]),
        _ => new WebhookOutcome(application, WebhookResults.Queued, queuedMessage, [result.Deployment!.Uuid]),
    };

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Webhook action {Action} for application {ApplicationUuid} failed.")]
    private static partial void LogActionFailed(ILogger logger, Exception exception, WebhookAction action, string applicationUuid);
}
