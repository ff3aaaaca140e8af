namespace Slipway.Core.Deployments;

public static class DeploymentStatuses
{
    public const string Queued = "queued";
    public const string InProgress = "in_progress";
    public const string Finished = "finished";
    public const string Failed = "failed";
    public const string CancelledByUser = "cancelled-by-user";

    public static string ToWire(this DeploymentStatus status) => status switch
    {
        DeploymentStatus.Queued => Queued,
        DeploymentStatus.InProgress => InProgress,
        DeploymentStatus.Finished => Finished,
        DeploymentStatus.Failed => Failed,
        DeploymentStatus.CancelledByUser => CancelledByUser,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static DeploymentStatus FromWire(string value) =>
        TryFromWire(value) ?? throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown deployment status.");

    /// <summary>The status a wire string names, or null for anything else (a caller's query value, say).</summary>
    public static DeploymentStatus? TryFromWire(string? value) => value switch
    {
        Queued => DeploymentStatus.Queued,
        InProgress => DeploymentStatus.InProgress,
        Finished => DeploymentStatus.Finished,
        Failed => DeploymentStatus.Failed,
        CancelledByUser => DeploymentStatus.CancelledByUser,
        _ => null,
    };

    public static bool IsTerminal(this DeploymentStatus status) =>
        status is DeploymentStatus.Finished or DeploymentStatus.Failed or DeploymentStatus.CancelledByUser;

    public static bool IsActive(this DeploymentStatus status) =>
        status is DeploymentStatus.Queued or DeploymentStatus.InProgress;
}
