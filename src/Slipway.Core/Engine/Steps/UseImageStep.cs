using Slipway.Core.Commands;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// Runs an image that needs no build: the <c>dockerimage</c> build pack's image (pulled when missing), the
/// current image for a restart, or a commit's image kept for rollback.
/// </summary>
public sealed class UseImageStep(string image, string reason, bool pullWhenMissing) : IDeploymentStep
{
    public string Title => "Preparing image";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        context.Image = image;
        await context.Log.InfoAsync(reason);
        var exists = await context.RunAsync(DockerCommands.ImageExists(image), cancellationToken, throwOnFailure: false, quiet: true);
        if (exists.Succeeded)
        {
            return;
        }

        if (!pullWhenMissing)
        {
            throw new DeploymentFailedException($"Image {image} is not on {context.Target.Description} any more.");
        }

        await context.RunAsync(DockerCommands.Pull(image), cancellationToken);
    }
}
