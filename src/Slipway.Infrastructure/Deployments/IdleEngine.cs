using Slipway.Core.Applications;
using Slipway.Core.Deployments;

namespace Slipway.Infrastructure.Deployments;

/// <summary>
/// The defaults when no engine is registered (admin commands, API-only hosts): queued deployments stay queued,
/// nothing runs here to cancel, and no containers exist to stop or remove.
/// </summary>
internal sealed class IdleEngine : IDeploymentSignal, IRunningDeployments, IApplicationRuntime
{
    public void Notify()
    {
    }

    public bool TryCancel(long deploymentId, string reason) => false;

    public Task<bool> WaitUntilStoppedAsync(long deploymentId, TimeSpan timeout, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task StopAsync(Application application, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RemoveAsync(Application application, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RemovePreviewAsync(Application application, int pullRequestId, CancellationToken cancellationToken) => Task.CompletedTask;
}
