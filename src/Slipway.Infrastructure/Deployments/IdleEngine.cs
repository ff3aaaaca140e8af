using Slipway.Core.Deployments;

namespace Slipway.Infrastructure.Deployments;

/// <summary>
/// The defaults when no engine is registered (admin commands, API-only hosts): queued deployments stay queued
/// and nothing runs here to cancel.
/// </summary>
internal sealed class IdleEngine : IDeploymentSignal, IRunningDeployments
{
    public void Notify()
    {
    }

    public bool TryCancel(long deploymentId, string reason) => false;
}
