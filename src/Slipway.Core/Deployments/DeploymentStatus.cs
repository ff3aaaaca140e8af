namespace Slipway.Core.Deployments;

/// <summary>A deployment's lifecycle. The wire strings are Coolify's exactly (see <see cref="DeploymentStatuses"/>).</summary>
public enum DeploymentStatus
{
    Queued,
    InProgress,
    Finished,
    Failed,
    CancelledByUser,
}
