namespace Slipway.Core.Deployments;

/// <summary>Stops the work of a deployment that is running in this process.</summary>
public interface IRunningDeployments
{
    /// <summary>Requests cancellation; true when the deployment was running here.</summary>
    bool TryCancel(long deploymentId, string reason);
}
