using Slipway.Core.Commands;
using Slipway.Core.Execution;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// Keeps the newest <c>docker_images_to_keep</c> images of the application (for rollback) and removes the rest; a
/// preview prunes only its own images (they live in their own repository, see <see cref="DeploymentContext.ImageRepository"/>).
/// The images are listed once the new image exists, alongside starting and checking the new container: the list
/// excludes the new image anyway, and nothing else adds or removes this application's images meanwhile (one
/// deployment per application at a time).
/// </summary>
public sealed class PruneImagesStep : IDeploymentStep
{
    private Task<CommandResult>? _listing;

    public string Title => "Pruning old images";

    public void StartAhead(DeploymentContext context, CancellationToken cancellationToken)
    {
        if (_listing is null && context.Image is not null)
        {
            _listing = context.RunAheadAsync(DockerCommands.ListImages(context.ImageRepository), cancellationToken);
        }
    }

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var repository = context.ImageRepository;
        var images = _listing is { } listing
            ? ImageHistory.Parse(await listing)
            : await ImageHistory.ListAsync(context.Runner, repository, cancellationToken);
        var keep = Math.Max(context.Application.DockerImagesToKeep, 1);
        var remove = images
            .Where(i => $"{repository}:{i.Tag}" != context.Image)
            .Skip(Math.Max(keep - 1, 0))
            .ToList();
        foreach (var image in remove)
        {
            await context.RunAsync(DockerCommands.RemoveImage($"{repository}:{image.Tag}"), cancellationToken, throwOnFailure: false);
        }

        await context.Log.InfoAsync($"Kept {Math.Min(images.Count, keep)} image(s) for rollback, removed {remove.Count}.");
    }
}
