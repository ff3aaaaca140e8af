using Slipway.Core.Applications;
using Slipway.Core.Commands;
using Slipway.Core.Execution;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// Looks up, side by side, what the later steps decide on and that none of the steps in between changes: the
/// application's containers (planning a restart, starting, switching the route, retiring), its images (reusing or
/// rolling back to this commit's image, pruning) and the <c>slipway</c> network the new container joins. Runs after
/// the settings check: before planning when the plan depends on it (<see cref="DeploymentPlanner.BeforePlanning"/>),
/// else alongside the clone. The answers are stored on the context as plain values.
/// </summary>
public sealed class GatherFactsStep : IDeploymentStep
{
    public string Title => "Gathering facts";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var containers = LookUpAsync(context, DockerCommands.ListContainers(context.Application.Uuid, context.Deployment.PullRequestId), true, cancellationToken);
        var images = context.Application.BuildPack == BuildPack.DockerImage
            ? null
            : LookUpAsync(context, DockerCommands.ListImages(context.ImageRepository), false, cancellationToken);
        var network = SlipwayNetwork.Joins(context) ? LookUpAsync(context, SlipwayNetwork.Inspect, false, cancellationToken) : null;
        // Every lookup ends here, failed or not, before the first failure is thrown: none outlives the step.
        await Task.WhenAll(new[] { containers, images, network }.OfType<Task<CommandResult>>());

        context.OldContainers = (await containers).StandardOutput
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length >= 4)
            .Select(parts => new ContainerInfo(parts[0], parts[1], parts[2], parts[3]))
            .ToList();
        context.ImagesBefore = images is null ? [] : ImageHistory.Parse(await images);
        context.SlipwayNetworkBefore = network is null ? null : await network;
    }

    /// <summary>
    /// A quiet lookup whose PID is not recorded (it is not the one command the run waits on). Started on the thread
    /// pool: starting a process is synchronous (fork and exec), and the lookups should start side by side.
    /// </summary>
    private static Task<CommandResult> LookUpAsync(DeploymentContext context, CommandSpec command, bool throwOnFailure, CancellationToken cancellationToken) =>
        Task.Run(() => context.Log.RunAsync(context.Runner, command, cancellationToken, throwOnFailure, quiet: true), CancellationToken.None);
}
