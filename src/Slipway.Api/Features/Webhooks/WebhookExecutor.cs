using Microsoft.EntityFrameworkCore;
using Slipway.Api.Features.Deployments;
using Slipway.Api.Features.Previews;
using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Secrets;
using Slipway.Core.Webhooks;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Webhooks;

/// <summary>
/// Carries out what <see cref="WebhookRules"/> decided for one application: queue the branch's deployment (the
/// engine's queue rules — dedupe, queue limit — apply as for any trigger), deploy a pull request's preview, or
/// remove it. A failure here is the application's outcome (recorded, answered), not an unhandled error.
/// <para>
/// A push is deployed only while its commit is still the branch's head on the git host (<see cref="IBranchHeads"/>,
/// asked once per repository, branch and server within one delivery, within <see cref="WebhookOptions.HeadCheckTimeout"/>
/// for all of them): an old push sent again is recorded as <c>stale</c> and queues nothing. When the host cannot be
/// asked in time, the branch's head is queued instead of the pushed commit — resolved when the deployment starts, so
/// even then nothing older than the head is deployed.
/// </para>
/// </summary>
public sealed partial class WebhookExecutor(
    SlipwayDbContext db,
    DeploymentQueue queue,
    PreviewService previews,
    IBranchHeads heads,
    ISecretProtector protector,
    WebhookOptions options,
    ILogger<WebhookExecutor> logger) : IDisposable
{
    private readonly Dictionary<(long Server, string Repository, string Branch, long? Key), Task<BranchHeadCheck?>> _checks = [];
    private CancellationTokenSource? _checkBudget;

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

    public void Dispose() => _checkBudget?.Dispose();

    private async Task<WebhookOutcome> DeployBranchAsync(Application application, WebhookDecision decision, CancellationToken cancellationToken)
    {
        var commit = decision.Commit!;
        var check = await CheckHeadAsync(application, commit, cancellationToken);
        switch (check?.State)
        {
            case BranchHeadState.Moved:
                return new WebhookOutcome(application, WebhookResults.Stale,
                    $"Commit {Short(commit)} is no longer the head of '{application.GitBranch}' (the git host says {Short(check.Head!)}): "
                    + "an old or replayed push deploys nothing.", []);
            case BranchHeadState.Missing:
                return new WebhookOutcome(application, WebhookResults.Stale,
                    $"Branch '{application.GitBranch}' does not exist on the git host any more: nothing to deploy.", []);
        }

        var target = await DeploymentTargets.LoadAsync(db, application, cancellationToken);
        var result = await queue.EnqueueAsync(target, new DeploymentRequest
        {
            // The host's full commit (Bitbucket abbreviates); "HEAD" when it could not be asked: resolved at start.
            Commit = check?.Head ?? "HEAD",
            CommitMessage = check is null ? null : decision.CommitMessage,
            IsWebhook = true,
        }, cancellationToken);
        var message = check is null
            ? $"Deployment queued for the head of '{application.GitBranch}': the git host did not confirm within {options.HeadCheckTimeout.TotalSeconds:0} s "
                + $"that {Short(commit)} is still its head, so the deployment resolves the head when it starts."
            : decision.Message;
        return FromQueue(application, result, message);
    }

    /// <summary>The host's answer, shared by the delivery's applications on one repository, branch and server; null when it could not be asked.</summary>
    private Task<BranchHeadCheck?> CheckHeadAsync(Application application, string commit, CancellationToken cancellationToken)
    {
        var key = (application.ServerId, application.GitRepository ?? string.Empty, application.GitBranch ?? string.Empty, application.PrivateKeyId);
        if (!_checks.TryGetValue(key, out var check))
        {
            _checks[key] = check = AskAsync(application, commit, cancellationToken);
        }

        return check;
    }

    private async Task<BranchHeadCheck?> AskAsync(Application application, string commit, CancellationToken cancellationToken)
    {
        // One budget for the whole delivery, started by its first question: the answer must reach the git host in time.
        _checkBudget ??= new CancellationTokenSource(options.HeadCheckTimeout);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _checkBudget.Token);
        try
        {
            var server = await db.Servers.AsNoTracking().FirstAsync(s => s.Id == application.ServerId, deadline.Token);
            string? deployKey = null;
            if (application.PrivateKeyId is { } keyId)
            {
                var stored = await db.PrivateKeys.AsNoTracking().Where(k => k.Id == keyId).Select(k => k.ProtectedPrivateKey).FirstAsync(deadline.Token);
                deployKey = protector.Unprotect(stored);
            }

            var query = new BranchHeadQuery(server, application.GitRepository!, application.GitBranch!, deployKey, application.GitHostKeys);
            return await heads.CheckAsync(query, commit, deadline.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogHeadCheckFailed(logger, ex, application.Uuid);
            return null;
        }
    }

    private static string Short(string commit) => commit.Length > 12 ? commit[..12] : commit;

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

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Could not ask the git host whether a pushed commit is still the head for application {ApplicationUuid}; its head is queued instead.")]
    private static partial void LogHeadCheckFailed(ILogger logger, Exception exception, string applicationUuid);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Webhook action {Action} for application {ApplicationUuid} failed.")]
    private static partial void LogActionFailed(ILogger logger, Exception exception, WebhookAction action, string applicationUuid);
}
