namespace Slipway.Core.Deployments;

public enum EnqueueOutcome
{
    Queued,

    /// <summary>The same application, commit and pull request is already queued or running; its uuid is returned.</summary>
    Duplicate,

    /// <summary>The server's queue is at its limit; nothing was stored.</summary>
    QueueFull,
}

public sealed record EnqueueResult(EnqueueOutcome Outcome, Deployment? Deployment)
{
    public const string QueueFullMessage = "Deployment queue is full. Please wait for existing deployments to complete.";
    public const string DuplicateMessage = "Deployment already queued for this commit.";
}
