using Slipway.Core.Commands;
using Slipway.Core.Execution;
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

    /// <summary>The inspection <see cref="EnsureAsync"/> starts with (the gather step makes it for the run's new container).</summary>
    public static CommandSpec Inspect => DockerCommands.NetworkDriver(Name);

    /// <summary>Whether the run's new container joins the network: when its run options name no network, or name it.</summary>
    public static bool Joins(DeploymentContext context) => DockerRunOptions.Network(context.RunOptions) is null or Name;

    /// <summary>
    /// Creates the network when it is missing; idempotent, and safe when two runs create it at once.
    /// <paramref name="inspected"/>: the answer of <see cref="Inspect"/> when it was already made, else null.
    /// </summary>
    public static async Task EnsureAsync(DeploymentContext context, CommandResult? inspected, CancellationToken cancellationToken)
    {
        var first = inspected is null ? await DriverAsync(context, cancellationToken) : Driver(inspected);
        if (first is { } existing)
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

    private static async Task<string?> DriverAsync(DeploymentContext context, CancellationToken cancellationToken) =>
        Driver(await context.RunAsync(Inspect, cancellationToken, throwOnFailure: false, quiet: true));

    private static string? Driver(CommandResult inspected) => inspected.Succeeded ? inspected.Output.Trim() : null;

    private static void RequireBridge(DeploymentContext context, string driver)
    {
        if (driver != "bridge")
        {
            throw new DeploymentFailedException(
                $"The '{Name}' network on {context.Target.Description} is a '{driver}' network; Slipway needs a bridge network of that name (remove it and deploy again).");
        }
    }
}
