using System.Text.Json;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// <c>pre_deployment_command</c>, Slipway's release phase: run in the NEW container once it runs and before it receives
/// traffic (before the health check, the proxy's switch and the old container's retirement), so migrations run with
/// the new code. A non-zero exit fails the deployment; the start step's undo removes the new container and the old one
/// keeps serving. (Coolify runs it in the OLD container, before the new one exists.)
/// </summary>
public sealed class PreDeploymentCommandStep : IDeploymentStep
{
    public string Title => "Running the pre-deployment command";

    public static bool Applies(DeploymentContext context) => !string.IsNullOrEmpty(context.Application.PreDeploymentCommand);

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var app = context.Application;
        var container = context.NewContainer!;
        await LogContainerFieldAsync(context, "pre_deployment_command_container", app.PreDeploymentCommandContainer);
        var state = await WaitForHealthyStep.WaitUntilStartedAsync(context, container, cancellationToken);
        if (state is not { Running: true })
        {
            throw new DeploymentFailedException(
                $"The new container is not running (status {state?.Status ?? "gone"}, exit code {state?.ExitCode}): the pre-deployment command could not run; the old container keeps serving.");
        }

        await context.Log.InfoAsync($"Running the pre-deployment command in the new container {container}, before it receives traffic.");
        var failure = await ReleaseCommand.RunAsync(context, container, "pre", app.PreDeploymentCommand!, cancellationToken);
        if (failure is not null)
        {
            throw new DeploymentFailedException($"The pre-deployment command failed ({failure}); the old container keeps serving.");
        }

        await context.Log.InfoAsync("The pre-deployment command succeeded.");
    }

    /// <summary>The <c>_container</c> fields name a Compose service; a single-container application has only the one.</summary>
    internal static async Task LogContainerFieldAsync(DeploymentContext context, string field, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            await context.Log.InfoAsync(
                $"The {field} ({JsonSerializer.Serialize(value)}) names a Docker Compose service; this application has one container, so the command runs in it.");
        }
    }
}
