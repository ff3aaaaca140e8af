using Slipway.Core.Applications;
using Slipway.Core.Commands;
using Slipway.Core.Execution;

namespace Slipway.Core.Engine;

/// <summary>Stops an application's containers, or removes its (or one preview's) containers and images when they are deleted.</summary>
public sealed class DockerApplicationRuntime(IEngineStore store, IExecutionTargets targets) : IApplicationRuntime
{
    public async Task StopAsync(Application application, CancellationToken cancellationToken)
    {
        var runner = await RunnerAsync(application, cancellationToken);
        var containers = await runner.RunAsync(DockerCommands.ListContainers(application.Uuid, 0), cancellationToken: cancellationToken);
        foreach (var parts in containers.StandardOutput.Select(l => l.Split('\t')).Where(p => p.Length >= 2 && p[1] == "running"))
        {
            await runner.RunAsync(DockerCommands.Stop(parts[0], application.StopGracePeriod), throwOnFailure: false, cancellationToken: cancellationToken);
        }
    }

    public async Task RemoveAsync(Application application, CancellationToken cancellationToken)
    {
        var runner = await RunnerAsync(application, cancellationToken);
        var containers = await runner.RunAsync(DockerCommands.ListContainersOfApplication(application.Uuid), cancellationToken: cancellationToken);
        foreach (var name in containers.StandardOutput.Where(n => n.Length > 0))
        {
            await runner.RunAsync(DockerCommands.Remove(name), throwOnFailure: false, cancellationToken: cancellationToken);
        }

        foreach (var image in await ImageHistory.ListAsync(runner, application.Uuid, cancellationToken))
        {
            await runner.RunAsync(DockerCommands.RemoveImage($"{application.Uuid}:{image.Tag}"), throwOnFailure: false, cancellationToken: cancellationToken);
        }

        // Previews build into their own repositories ({uuid}-pr-N); their images carry the application's label.
        var labelled = await runner.RunAsync(DockerCommands.ListImagesOfApplication(application.Uuid), throwOnFailure: false, cancellationToken: cancellationToken);
        foreach (var image in labelled.StandardOutput.Where(i => i.Length > 0 && !i.EndsWith(":<none>", StringComparison.Ordinal)))
        {
            await runner.RunAsync(DockerCommands.RemoveImage(image), throwOnFailure: false, cancellationToken: cancellationToken);
        }
    }

    public async Task RemovePreviewAsync(Application application, int pullRequestId, CancellationToken cancellationToken)
    {
        var runner = await RunnerAsync(application, cancellationToken);
        var containers = await runner.RunAsync(DockerCommands.ListContainers(application.Uuid, pullRequestId), cancellationToken: cancellationToken);
        foreach (var name in containers.StandardOutput.Select(l => l.Split('\t')[0]).Where(n => n.Length > 0))
        {
            await runner.RunAsync(DockerCommands.Remove(name), throwOnFailure: false, cancellationToken: cancellationToken);
        }

        var repository = DockerCommands.PreviewName(application.Uuid, pullRequestId);
        foreach (var image in await ImageHistory.ListAsync(runner, repository, cancellationToken))
        {
            await runner.RunAsync(DockerCommands.RemoveImage($"{repository}:{image.Tag}"), throwOnFailure: false, cancellationToken: cancellationToken);
        }
    }

    private async Task<ICommandRunner> RunnerAsync(Application application, CancellationToken cancellationToken)
    {
        var server = await store.GetServerAsync(application.ServerId, cancellationToken)
            ?? throw new InvalidOperationException($"The server of application {application.Uuid} does not exist.");
        return (await targets.GetAsync(server, cancellationToken)).Runner;
    }
}
