using Slipway.Core.Commands;

namespace Slipway.Core.Engine.Steps;

/// <summary>Keeps the newest <c>docker_images_to_keep</c> images of the application (for rollback) and removes the rest.</summary>
public sealed class PruneImagesStep : IDeploymentStep
{
    public string Title => "Pruning old images";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var images = await ImageHistory.ListAsync(context.Runner, context.Application.Uuid, cancellationToken);
        var keep = Math.Max(context.Application.DockerImagesToKeep, 1);
        var remove = images
            .Where(i => $"{context.Application.Uuid}:{i.Tag}" != context.Image)
            .Skip(Math.Max(keep - 1, 0))
            .ToList();
        foreach (var image in remove)
        {
            await context.RunAsync(DockerCommands.RemoveImage($"{context.Application.Uuid}:{image.Tag}"), cancellationToken, throwOnFailure: false);
        }

        await context.Log.InfoAsync($"Kept {Math.Min(images.Count, keep)} image(s) for rollback, removed {remove.Count}.");
    }
}
