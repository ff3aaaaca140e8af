namespace Slipway.Core.Deployments;

/// <summary>
/// One deployment (Coolify's <c>application_deployment_queues</c> row). The table is also the queue: a row is
/// created <c>queued</c> and the scheduler claims it. Its log lives in <see cref="DeploymentLogEntry"/> rows.
/// </summary>
public sealed class Deployment
{
    public long Id { get; set; }
    public required string Uuid { get; set; }
    public long ApplicationId { get; set; }

    /// <summary>Owning team, copied from the application so reads are scoped in one step.</summary>
    public long TeamId { get; set; }

    public long ServerId { get; set; }
    public int PullRequestId { get; set; }
    public bool ForceRebuild { get; set; }

    /// <summary>The requested commit; <c>HEAD</c> until the engine resolves the branch head.</summary>
    public string Commit { get; set; } = "HEAD";

    public DeploymentStatus Status { get; set; } = DeploymentStatus.Queued;
    public bool IsWebhook { get; set; }
    public bool IsApi { get; set; }
    public string? CurrentProcessId { get; set; }
    public bool RestartOnly { get; set; }
    public string? GitType { get; set; }
    public string? ApplicationName { get; set; }
    public string? ServerName { get; set; }
    public string? DeploymentUrl { get; set; }
    public string? DestinationId { get; set; }
    public bool OnlyThisServer { get; set; }
    public bool Rollback { get; set; }
    public string? CommitMessage { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    /// <summary>
    /// The lease generation of the Slipway instance that claimed (runs) it; null while queued and for rows from
    /// before instances were recorded. Every write a run makes is conditional on it: the fencing token.
    /// </summary>
    public long? InstanceGeneration { get; set; }

    /// <summary>
    /// True once the log's writer has stored its last line (set by whoever completes the log, on any instance):
    /// live followers on every instance stop at a terminal status only when it is set.
    /// </summary>
    public bool LogComplete { get; set; }

    /// <summary>
    /// When log retention replaced this deployment's log with one line saying so (its server's
    /// <c>deployment_log_retention</c> keeps only each application's newest deployments' logs); null while it has its log.
    /// </summary>
    public DateTime? LogsPrunedAt { get; set; }
}
