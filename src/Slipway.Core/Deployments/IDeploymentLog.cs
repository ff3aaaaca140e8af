namespace Slipway.Core.Deployments;

/// <summary>
/// The one writer of deployment logs. It numbers lines, redacts secrets and stores them as append-only rows;
/// every append for a deployment goes through it so orders never collide.
/// </summary>
public interface IDeploymentLog
{
    /// <summary>Queues lines for storage; they are written in batches.</summary>
    ValueTask AppendAsync(long deploymentId, IReadOnlyList<LogLine> lines, CancellationToken cancellationToken);

    /// <summary>Waits until every line appended so far for the deployment is stored.</summary>
    Task FlushAsync(long deploymentId, CancellationToken cancellationToken);

    /// <summary>Values to replace with <c>&lt;REDACTED&gt;</c> in every later line of this deployment.</summary>
    void SetSecrets(long deploymentId, IReadOnlyCollection<string> secrets);

    /// <summary>Forgets the in-memory state of a deployment that has ended (after a final flush).</summary>
    Task CompleteAsync(long deploymentId, CancellationToken cancellationToken);
}
