namespace Slipway.Core.Deployments;

/// <summary>A deployment whose log retention prunes, and how many deployments its application keeps logs for.</summary>
public readonly record struct PrunableLog(long DeploymentId, int Keep);

/// <summary>The log rows as <see cref="LogRetention"/> needs them. Implemented over EF Core in Infrastructure.</summary>
public interface ILogRetentionStore
{
    /// <summary>
    /// Up to <paramref name="take"/> deployments, oldest first, that are not among their application's newest
    /// <c>deployment_log_retention</c> (its server's), have ended with their log complete, and still have their log.
    /// Queued and running deployments are never among them, however old.
    /// </summary>
    Task<IReadOnlyList<PrunableLog>> FindPrunableAsync(int take, CancellationToken cancellationToken);

    /// <summary>
    /// Appends the notice line after the log's last line, unless the last line is already a notice (an earlier pass
    /// stopped half-way); returns the notice's order. Everything before it is what <see cref="DeleteBeforeAsync"/> removes.
    /// </summary>
    Task<int> AppendNoticeAsync(long deploymentId, string notice, DateTime now, CancellationToken cancellationToken);

    /// <summary>Deletes at most <paramref name="batchSize"/> of the deployment's log rows ordered before <paramref name="order"/>, in one short transaction; returns how many.</summary>
    Task<int> DeleteBeforeAsync(long deploymentId, int order, int batchSize, CancellationToken cancellationToken);

    /// <summary>Records on the deployment that its log is pruned, so later passes skip it.</summary>
    Task MarkPrunedAsync(long deploymentId, DateTime now, CancellationToken cancellationToken);
}
