using Slipway.Core.Commands;

namespace Slipway.Core.Engine.Steps;

/// <summary>The new container is healthy: stop and remove the ones it replaces.</summary>
public sealed class RetireOldContainersStep : IDeploymentStep
{
    public string Title => "Retiring old container";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var old = context.OldContainers.Where(c => c.Name != context.NewContainer).ToList();
        if (old.Count == 0)
        {
            context.OldContainersRetired = true;
            await context.Log.InfoAsync("No previous container.");
            return;
        }

        foreach (var container in old)
        {
            // Retiring is visible to everyone: only while this instance still owns the run.
            await context.EnsureOwnedAsync(cancellationToken);
            if (container.IsRunning && !context.StoppedOldContainers.Contains(container.Name))
            {
                await context.RunAsync(DockerCommands.Stop(container.Name, context.Application.StopGracePeriod), cancellationToken, throwOnFailure: false);
            }

            await context.RunAsync(DockerCommands.Remove(container.Name), cancellationToken, throwOnFailure: false);
        }

        // Nothing to start again if a later step fails: the new container is the application now.
        context.StoppedOldContainers.Clear();
        context.OldContainersRetired = true;
    }
}
