namespace Slipway.Core.Cluster;

/// <summary>Hands a cancellation to the instance that runs the deployment, when that is another live instance.</summary>
public interface IRemoteCancellation
{
    /// <summary>
    /// True when another live instance runs the deployment and was asked to stop it: that instance writes the reason
    /// and completes the log. False when nothing runs it elsewhere (the caller handles it).
    /// </summary>
    Task<bool> TryCancelElsewhereAsync(long deploymentId, string reason, CancellationToken cancellationToken);
}
