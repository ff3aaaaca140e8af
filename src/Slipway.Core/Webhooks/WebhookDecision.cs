namespace Slipway.Core.Webhooks;

public enum WebhookAction
{
    Ignore,

    /// <summary>Deploy the tracked branch at <see cref="WebhookDecision.Commit"/>.</summary>
    DeployBranch,

    /// <summary>Create or update the pull request's preview and deploy <see cref="WebhookDecision.Commit"/>.</summary>
    DeployPreview,

    /// <summary>Remove the pull request's preview.</summary>
    ClosePreview,
}

/// <summary>What one delivery asks of one application, and why (the message is recorded and returned).</summary>
public sealed record WebhookDecision(WebhookAction Action, string Message, string? Commit = null, string? CommitMessage = null)
{
    public static WebhookDecision Ignore(string message) => new(WebhookAction.Ignore, message);
}
