using Slipway.Core.Commands;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// Keeps the newest <c>docker_images_to_keep</c> images of the application (for rollback) and removes the rest; a
/// preview prunes only its own images (they live in their own repository, see <see cref="DeploymentContext.ImageRepository"/>).
/// The images are the ones the gather step listed before the build: the run's own image is kept whether or not it was
/// listed, and nothing else adds or removes this application's images meanwhile (one deployment per application at a time).
/// </summary>
public sealed class PruneImagesStep : IDeploymentStep
{
    public string Title => "Pruning old images";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var repository = context.ImageRepository;
        var others = context.ImagesBefore.Where(i => $"{repository}:{i.Tag}" != context.Image).ToList();
        var keep = Math.Max(context.Application.DockerImagesToKeep, 1);
        var remove = others.Skip(keep - 1).ToList();
        foreach (var image in remove)
        {
            await context.RunAsync(DockerCommands.RemoveImage($"{repository}:{image.Tag}"), cancellationToken, throwOnFailure: false);
        }

        // The run's own image is one of those kept.
        await context.Log.InfoAsync($"Kept {Math.Min(others.Count + 1, keep)} image(s) for rollback, removed {remove.Count}.");
    }
}
