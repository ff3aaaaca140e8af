namespace Slipway.Core.Deployments;

/// <summary>The deployments table as the queue needs it. Implemented over EF Core in Infrastructure.</summary>
public interface IDeploymentStore
{
    Task<Deployment?> FindActiveDuplicateAsync(long applicationId, string commit, int pullRequestId, CancellationToken cancellationToken);

    Task<int> CountQueuedAsync(long serverId, CancellationToken cancellationToken);

    Task AddAsync(Deployment deployment, CancellationToken cancellationToken);

    /// <summary>Sets the status when the current one is among <paramref name="from"/>; false when it was not (someone else won).</summary>
    Task<bool> TryTransitionAsync(long deploymentId, IReadOnlyCollection<DeploymentStatus> from, DeploymentStatus to, DateTime now, CancellationToken cancellationToken);
}
