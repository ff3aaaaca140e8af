using Slipway.Core.Engine;
using Slipway.Core.Settings;

namespace Slipway.Core.Tests.Engine;

/// <summary>Runs a deployment's steps as <see cref="DeploymentRunner"/> does: the steps before planning, the plan, then its steps.</summary>
internal static class Runbook
{
    /// <summary>Runs the settings check and the gather step, then plans; returns the planned steps, not yet run.</summary>
    public static async Task<IReadOnlyList<IDeploymentStep>> PlanAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        await DeploymentPipeline.RunAsync(context, new DeploymentPlanner(new InstanceSettings()).BeforePlanning(context), cancellationToken);
        return await DeploymentPlanner.PlanAsync(context);
    }

    public static async Task RunAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var steps = await PlanAsync(context, cancellationToken);
        await DeploymentPipeline.RunAsync(context, steps, cancellationToken);
    }
}
