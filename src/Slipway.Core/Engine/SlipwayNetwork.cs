using Slipway.Core.Commands;
using Slipway.Core.Validation;

namespace Slipway.Core.Engine;

/// <summary>
/// The user-defined bridge network <c>slipway</c> that Slipway creates on each server (labelled
/// <c>slipway.managed=true</c>) for applications without host networking: they join it and publish their
/// <c>ports_mappings</c> from it. User-defined bridges work on engines without a default bridge too
/// (<c>dockerd --bridge=none</c>), and the health check reaches a container at its address on this network.
/// </summary>
public static class SlipwayNetwork
{
    public const string Name = DockerRunOptions.SlipwayNetworkName;

    /// <summary>Creates the network when it is missing; idempotent, and safe when two runs create it at once.</summary>
    public static async Task EnsureAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        if (await DriverAsync(context, cancellationToken) is { } existing)
        {
            RequireBridge(context, existing);
            return;
        }

        var created = await context.RunAsync(DockerCommands.CreateNetwork(Name), cancellationToken, throwOnFailure: false);
        // Another run may have created it in between: what counts is that it exists now.
        var driver = await DriverAsync(context, cancellationToken)
            ?? throw new DeploymentFailedException(
                $"Could not create the '{Name}' network on {context.Target.Description}: {string.Join(" / ", created.StandardErrorTail)}");
        RequireBridge(context, driver);
        if (created.Succeeded)
        {
            await context.Log.InfoAsync($"Created the '{Name}' network on {context.Target.Description}: applications without host networking join it.");
        }
    }

    private static async Task<string?> DriverAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var inspected = await context.RunAsync(DockerCommands.NetworkDriver(Name), cancellationToken, throwOnFailure: false, quiet: true);
        return inspected.Succeeded ? inspected.Output.Trim() : null;
    }

    private static void RequireBridge(DeploymentContext context, string driver)
    {
        if (driver != "bridge")
        {
            throw new DeploymentFailedException(
                $"The '{Name}' network on {context.Target.Description} is a '{driver}' network; Slipway needs a bridge network of that name (remove it and deploy again).");
        }
    }
}
