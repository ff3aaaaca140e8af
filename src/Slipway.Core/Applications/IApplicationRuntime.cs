namespace Slipway.Core.Applications;

/// <summary>What runs an application's containers: stopping them, and removing everything when it is deleted.</summary>
public interface IApplicationRuntime
{
    /// <summary>Stops the application's running containers (<c>POST /applications/{uuid}/stop</c>).</summary>
    Task StopAsync(Application application, CancellationToken cancellationToken);

    /// <summary>Removes the application's containers, images and work directories before its rows are deleted.</summary>
    Task RemoveAsync(Application application, CancellationToken cancellationToken);

    /// <summary>Removes one pull request preview's containers and images (the preview was closed or deleted).</summary>
    Task RemovePreviewAsync(Application application, int pullRequestId, CancellationToken cancellationToken);
}
