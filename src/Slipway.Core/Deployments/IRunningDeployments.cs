namespace Slipway.Core.Deployments;

/// <summary>Stops the work of a deployment that is running in this process.</summary>
public interface IRunningDeployments
{
    /// <summary>Requests cancellation; true when the deployment was running here.</summary>
    bool TryCancel(long deploymentId, string reason);

    /// <summary>
    /// Waits until a cancelled deployment's run has stopped and undone its work (so what it started can be removed
    /// for good); true when it is not running here or stopped in time.
    /// </summary>
    Task<bool> WaitUntilStoppedAsync(long deploymentId, TimeSpan timeout, CancellationToken cancellationToken);
}
