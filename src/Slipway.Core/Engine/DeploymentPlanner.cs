using Slipway.Core.Applications;
using Slipway.Core.Engine.Steps;
using Slipway.Core.Settings;

namespace Slipway.Core.Engine;

/// <summary>
/// Chooses the steps of a run from its build pack and kind (Dokku picks its builder by source type; Kamal reads
/// as a runbook). The first step is always the work directory; <see cref="BeforePlanning"/> runs before planning.
/// </summary>
public sealed class DeploymentPlanner(InstanceSettings settings)
{
    /// <summary>
    /// The check of the stored settings. It runs before anything else, the plan included: no command may run on
    /// unchecked values.
    /// </summary>
    public IDeploymentStep SettingsCheck() => new CheckSettingsStep(settings);

    /// <summary>
    /// The steps before planning: the settings check, then the lookups (<see cref="GatherFactsStep"/>) when the plan
    /// decides on them; else the plan gathers them alongside the clone.
    /// </summary>
    public IReadOnlyList<IDeploymentStep> BeforePlanning(DeploymentContext context) =>
        GathersBeforePlanning(context) ? [SettingsCheck(), new GatherFactsStep()] : [SettingsCheck()];

    /// <summary>
    /// A restart plans on the current container's image and a rollback on the kept images; a run without a clone has
    /// nothing to gather alongside.
    /// </summary>
    private static bool GathersBeforePlanning(DeploymentContext context) =>
        context.Deployment.RestartOnly || context.Deployment.Rollback
        || context.Application.BuildPack == BuildPack.DockerImage || context.Application.GitRepository is null;

    public static async Task<IReadOnlyList<IDeploymentStep>> PlanAsync(DeploymentContext context)
    {
        var app = context.Application;
        var deployment = context.Deployment;
        List<IDeploymentStep> steps = [new PrepareWorkspaceStep()];
        IDeploymentStep[] rollout =
        [
            new StartContainerStep(),
            .. PreDeploymentCommandStep.Applies(context) ? [new PreDeploymentCommandStep()] : Array.Empty<IDeploymentStep>(),
            new WaitForHealthyStep(),
            .. context.RollsOutBehindProxy ? [new SwitchRouteStep()] : Array.Empty<IDeploymentStep>(),
            new RetireOldContainersStep(),
            .. RouteThroughProxyStep.Applies(context) ? [new RouteThroughProxyStep()] : Array.Empty<IDeploymentStep>(),
            .. PostDeploymentCommandStep.Applies(context) ? [new PostDeploymentCommandStep()] : Array.Empty<IDeploymentStep>(),
        ];

        if (app.BuildPack == BuildPack.DockerImage)
        {
            var image = $"{app.DockerRegistryImageName}:{app.DockerRegistryImageTag ?? "latest"}";
            return [.. steps, new UseImageStep(image, $"Deploying image {image}.", pullWhenMissing: true), .. rollout];
        }

        if (deployment.RestartOnly && CurrentImage(context.OldContainers) is { } current)
        {
            context.Commit = current.Contains(':', StringComparison.Ordinal) ? current[(current.LastIndexOf(':') + 1)..] : deployment.Commit;
            return [.. steps, new UseImageStep(current, $"Restarting from the current image {current} (no rebuild).", pullWhenMissing: false), .. rollout];
        }

        if (deployment.RestartOnly)
        {
            await context.Log.InfoAsync("No current image to restart from: building from source instead.");
        }

        if (deployment.Rollback && context.ImagesBefore.Any(i => i.Tag == deployment.Commit))
        {
            context.Commit = deployment.Commit;
            var image = $"{context.ImageRepository}:{deployment.Commit}";
            return [.. steps, new UseImageStep(image, $"Rolling back to the kept image {image}.", pullWhenMissing: false), .. rollout];
        }

        if (app.GitRepository is null)
        {
            return [.. steps, new BuildImageStep(), .. rollout, new PruneImagesStep()];
        }

        return
        [
            .. steps, new ResolveCommitStep(),
            // The lookups beside the clone, not before it: serially they were the longest wait of a deploy but the
            // build (Gathering facts 920 ms of a 6.8 s median under load; docs/benchmarks.md, deploy-overhead).
            GathersBeforePlanning(context) ? new CloneRepositoryStep() : new SideBySideStep(new CloneRepositoryStep(), new GatherFactsStep()),
            new ReadCommitMessageStep(), new BuildImageStep(),
            .. PreserveRepositoryStep.Applies(context) ? [new PreserveRepositoryStep()] : Array.Empty<IDeploymentStep>(),
            .. rollout, new PruneImagesStep(),
        ];
    }

    /// <summary>The image of the running container (else of the newest container) of this application and pull request.</summary>
    private static string? CurrentImage(IReadOnlyList<ContainerInfo> oldContainers) =>
        oldContainers.OrderByDescending(c => c.IsRunning).Select(c => c.Image).FirstOrDefault();
}
