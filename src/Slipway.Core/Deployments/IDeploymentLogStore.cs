namespace Slipway.Core.Deployments;

/// <summary>
/// The store of deployment logs: it numbers lines, redacts secrets and keeps them as append-only rows. Every append
/// for a deployment goes through it (a run through its <c>RunLogWriter</c>), so orders never collide; followers
/// read what it stored through the live feed.
/// </summary>
public interface IDeploymentLogStore
{
    /// <summary>Queues lines for storage; they are written in batches.</summary>
    ValueTask AppendAsync(long deploymentId, IReadOnlyList<LogLine> lines, CancellationToken cancellationToken);

    /// <summary>Waits until every line appended so far for the deployment is stored.</summary>
    Task FlushAsync(long deploymentId, CancellationToken cancellationToken);

    /// <summary>Values to replace with <c>&lt;REDACTED&gt;</c> in every later line of this deployment.</summary>
    void SetSecrets(long deploymentId, IReadOnlyCollection<string> secrets);

    /// <summary>How much command output this deployment's log stores from now on (<see cref="LogLimits.Default"/> until set).</summary>
    void SetLimits(long deploymentId, LogLimits limits);

    /// <summary>
    /// Ends the writing of a deployment's log: stores what is pending and forgets its in-memory state. Live
    /// followers of a deployment with a terminal status stop once this has happened.
    /// </summary>
    Task CompleteAsync(long deploymentId, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="CompleteAsync"/> without recording on the row that the log is whole: the caller records it with the
    /// deployment's terminal status, in one write (<see cref="Engine.IEngineStore.CompleteAsync"/>), one statement and
    /// one notification fewer per run. Followers on other instances wait for that write.
    /// </summary>
    Task CloseAsync(long deploymentId, CancellationToken cancellationToken);

    /// <summary>
    /// Tells live followers that more lines are coming until the handle is disposed, even if the status is
    /// terminal already (a cancel flips the status, then writes its reason). A run's own lines keep the log open
    /// from the first one until <see cref="CompleteAsync"/>.
    /// </summary>
    IDisposable KeepOpen(long deploymentId);
}
