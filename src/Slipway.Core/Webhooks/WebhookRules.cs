using Slipway.Core.Applications;
using Slipway.Core.Validation;

namespace Slipway.Core.Webhooks;

/// <summary>
/// Decides what a verified delivery means for one application — a pure function of the two, so every rule is
/// a table test: the branch must be the tracked one (exactly), auto-deploy must be on, a skip marker in the head
/// commit skips, watch paths filter pushes by changed file; pull requests need previews enabled, and a fork's
/// only with public PR deployments allowed. Closing a PR always removes its preview.
/// </summary>
public static class WebhookRules
{
    private static readonly string[] SkipMarkers = ["[skip ci]", "[ci skip]", "[skip cd]", "[skip deploy]"];

    public static WebhookDecision Decide(Application application, WebhookEvent delivery) => delivery.Kind switch
    {
        WebhookEventKind.Push => DecidePush(application, delivery),
        WebhookEventKind.PullRequest => DecidePullRequest(application, delivery),
        _ => WebhookDecision.Ignore($"Event '{delivery.Name}' is not supported; ignored."),
    };

    /// <summary>The skip marker <paramref name="texts"/> contain, if any (case-insensitive).</summary>
    public static string? FindSkipMarker(params string?[] texts) =>
        SkipMarkers.FirstOrDefault(marker => texts.Any(t => t is not null && t.Contains(marker, StringComparison.OrdinalIgnoreCase)));

    private static WebhookDecision DecidePush(Application application, WebhookEvent delivery)
    {
        var update = delivery.Pushes.FirstOrDefault(p => string.Equals(p.Branch, application.GitBranch, StringComparison.Ordinal));
        if (update is null)
        {
            var pushed = delivery.OtherRef ?? string.Join(", ", delivery.Pushes.Select(p => p.Branch));
            return WebhookDecision.Ignore($"Push to '{pushed}', not to the tracked branch '{application.GitBranch}'; ignored.");
        }

        if (update.Deleted)
        {
            return WebhookDecision.Ignore($"Branch '{update.Branch}' was deleted; nothing to deploy.");
        }

        if (!application.IsAutoDeployEnabled)
        {
            return WebhookDecision.Ignore("Automatic deployments are disabled for this application (is_auto_deploy_enabled); ignored.");
        }

        if (!IsDeployableCommit(update.Commit))
        {
            return WebhookDecision.Ignore("The push names no valid commit; ignored.");
        }

        if (FindSkipMarker(update.CommitMessage) is { } marker)
        {
            return WebhookDecision.Ignore($"The head commit message contains {marker}; deployment skipped.");
        }

        var watchPaths = WatchPaths.Parse(application.WatchPaths);
        if (!watchPaths.IsEmpty && delivery.ChangedFiles is { } files && !files.Any(watchPaths.Includes))
        {
            var listed = string.Join(", ", files.Take(5)) + (files.Count > 5 ? $" and {files.Count - 5} more" : string.Empty);
            return WebhookDecision.Ignore(
                $"Changed files do not match watch paths; deployment skipped ({files.Count} changed: {(files.Count == 0 ? "none" : listed)}).");
        }

        var note = !watchPaths.IsEmpty && delivery.ChangedFiles is null ? " Watch paths not applied: the provider does not list changed files." : string.Empty;
        return new WebhookDecision(WebhookAction.DeployBranch, "Deployment queued." + note, update.Commit!.ToLowerInvariant(), update.CommitMessage);
    }

    private static WebhookDecision DecidePullRequest(Application application, WebhookEvent delivery)
    {
        var number = delivery.PullRequestId;
        if (!string.Equals(delivery.BaseBranch, application.GitBranch, StringComparison.Ordinal))
        {
            return WebhookDecision.Ignore($"Pull request #{number} targets '{delivery.BaseBranch}', not the tracked branch '{application.GitBranch}'; ignored.");
        }

        switch (delivery.PullRequestChange)
        {
            case PullRequestChange.Close:
                return new WebhookDecision(WebhookAction.ClosePreview, $"Pull request #{number} closed: its preview was removed.");
            case PullRequestChange.Other:
                return WebhookDecision.Ignore($"Pull request action '{delivery.Action}' is not deployed; ignored.");
        }

        if (!application.IsPreviewDeploymentsEnabled)
        {
            return WebhookDecision.Ignore("Preview deployments are disabled for this application (is_preview_deployments_enabled); ignored.");
        }

        if (delivery.IsFork && !application.IsPrDeploymentsPublicEnabled)
        {
            return WebhookDecision.Ignore(
                $"Pull request #{number} comes from a fork: not deployed unless the application allows public PR deployments (is_pr_deployments_public_enabled).");
        }

        if (!IsDeployableCommit(delivery.HeadCommit))
        {
            return WebhookDecision.Ignore($"Pull request #{number} names no valid head commit; ignored.");
        }

        if (FindSkipMarker(delivery.PullRequestTitle, delivery.HeadCommitMessage) is { } marker)
        {
            return WebhookDecision.Ignore($"Pull request #{number} contains {marker}; deployment skipped.");
        }

        return new WebhookDecision(WebhookAction.DeployPreview, $"Preview deployment of pull request #{number} queued.", delivery.HeadCommit!.ToLowerInvariant(), delivery.HeadCommitMessage);
    }

    /// <summary>A commit that can be deployed: a hex object name (Bitbucket abbreviates to 12), never a ref or <c>HEAD</c>.</summary>
    private static bool IsDeployableCommit(string? commit) =>
        commit is { Length: >= 7 and <= 64 } && commit.All(char.IsAsciiHexDigit) && GitRules.CheckCommit(commit) is null;
}
