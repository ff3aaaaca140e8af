namespace Slipway.Core.Deployments;

/// <summary>What a trigger (API, webhook, restart, rollback) asks the queue for.</summary>
public sealed record DeploymentRequest
{
    public int PullRequestId { get; init; }

    /// <summary>A specific commit; null or empty means the application's pinned commit, else <c>HEAD</c>.</summary>
    public string? Commit { get; init; }

    public string? CommitMessage { get; init; }
    public bool ForceRebuild { get; init; }
    public bool IsWebhook { get; init; }
    public bool IsApi { get; init; }
    public bool RestartOnly { get; init; }
    public bool Rollback { get; init; }
    public string? GitType { get; init; }

    /// <summary>Who started it, when a person did (the dashboard): written as the first line of its log.</summary>
    public string? StartedBy { get; init; }
}
