using System.Globalization;
using System.Text;
using Slipway.Core.Commands;
using Slipway.Core.Validation;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// Starts the new container. Runtime variables go through an env file (0600), never the command line; the app
/// gets <c>PORT</c>. When fixed host ports make old and new unable to coexist, the old container is stopped
/// first (and started again if this run fails). Compensation removes the new container.
/// </summary>
public sealed class StartContainerStep : ICompensatingStep
{
    public string Title => "Starting new container";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var app = context.Application;
        var envFile = $"{context.WorkDir}/.env";
        await context.Target.WritePrivateFileAsync(envFile, EnvFile(context), cancellationToken);

        var name = ContainerName(context);
        var oldContainers = context.OldContainers;
        if (context.FixedContainerName is not null)
        {
            oldContainers = await FreeFixedNameAsync(context, name, oldContainers, cancellationToken);
        }

        foreach (var previous in oldContainers.Where(c => c.Name == name))
        {
            // A preview's container has a fixed name (unless it rolls out behind the proxy), so its previous container must
            // be gone before the new one can take the name: no side-by-side start and no restore on failure (as Coolify).
            await context.Log.InfoAsync($"Removing the preview's previous container {previous.Name} (previews keep one fixed name).");
            await context.RunAsync(DockerCommands.Remove(previous.Name), cancellationToken);
        }

        var running = oldContainers.Where(c => c.IsRunning && c.Name != name && !context.StoppedOldContainers.Contains(c.Name)).ToList();
        if (context.StopOldFirst && running.Count > 0)
        {
            var why = context.UsesHostNetwork ? "host networking" : $"published ports ({app.PortsMappings})";
            var proxied = RouteThroughProxyStep.Applies(context) ? " (no zero-downtime rollout behind the proxy: it needs neither ports_mappings nor host networking)" : string.Empty;
            await context.Log.InfoAsync($"The application uses fixed host ports ({why}): old and new cannot run side by side, so the old container is stopped first{proxied}.");
            foreach (var old in running)
            {
                await context.EnsureOwnedAsync(cancellationToken);
                await context.RunAsync(DockerCommands.Stop(old.Name, app.StopGracePeriod), cancellationToken);
                context.StoppedOldContainers.Add(old.Name);
            }
        }

        context.NewContainer = name;
        var labels = new Dictionary<string, string>
        {
            [DockerCommands.ManagedLabel] = "true",
            [DockerCommands.ApplicationLabel] = app.Uuid,
            [DockerCommands.DeploymentLabel] = context.Deployment.Uuid,
            [DockerCommands.PullRequestLabel] = context.Deployment.PullRequestId.ToString(CultureInfo.InvariantCulture),
            [DockerCommands.CommitLabel] = context.Commit,
        };
        // Without a network of its own choosing the container joins the server's slipway network.
        var network = DockerRunOptions.Network(context.RunOptions);
        if (SlipwayNetwork.Joins(context))
        {
            await SlipwayNetwork.EnsureAsync(context, context.SlipwayNetworkBefore, cancellationToken);
        }

        var run = new ContainerRun(
            name, context.Image!, labels, envFile, PortMappings(context), context.RunOptions,
            app.LimitsMemory == "0" ? null : app.LimitsMemory,
            app.LimitsCpus == "0" ? null : app.LimitsCpus,
            app.StopGracePeriod)
        {
            Network = network is null ? SlipwayNetwork.Name : null,
            MaxRestartCount = app.MaxRestartCount,
            CustomLabels = ContainerLabelRules.Parse(app.CustomLabels),
            Limits = Limits(app),
        };
        // Starting a container is visible to everyone: only while this instance still owns the run.
        await context.EnsureOwnedAsync(cancellationToken);
        if (context.RollsOutBehindProxy)
        {
            await RunBehindProxyAsync(context, run, cancellationToken);
        }
        else
        {
            await context.RunAsync(DockerCommands.Run(run), cancellationToken);
        }

        if (app.ConnectToDockerNetwork && network is not null && network != SlipwayNetwork.Name)
        {
            // Its run options put it on another network (bridge): connect_to_docker_network adds the server's slipway network.
            await SlipwayNetwork.EnsureAsync(context, null, cancellationToken);
            await context.RunAsync(DockerCommands.ConnectNetwork(SlipwayNetwork.Name, name), cancellationToken);
            await context.Log.InfoAsync($"Connected the new container to the '{SlipwayNetwork.Name}' network as well (connect_to_docker_network).");
        }
    }

    /// <summary>The limits beyond memory and CPUs; values equal to Docker's own defaults are not passed.</summary>
    public static RuntimeLimits Limits(Core.Applications.Application app) => new(
        app.LimitsMemorySwap == "0" ? null : app.LimitsMemorySwap,
        app.LimitsMemoryReservation == "0" ? null : app.LimitsMemoryReservation,
        app.LimitsMemorySwappiness == RuntimeRules.DefaultSwappiness ? null : app.LimitsMemorySwappiness,
        string.IsNullOrEmpty(app.LimitsCpuset) ? null : app.LimitsCpuset,
        app.LimitsCpuShares is 0 or RuntimeRules.DefaultCpuShares ? null : app.LimitsCpuShares);

    /// <summary>
    /// A fixed name: old and new cannot run side by side, so every running old container is stopped first (said in one
    /// line), and the one holding the name is renamed aside, so it can take its name back and start again if this run fails.
    /// Returns the old containers under their names from now on (the retire step removes the renamed one).
    /// </summary>
    private static async Task<IReadOnlyList<ContainerInfo>> FreeFixedNameAsync(
        DeploymentContext context, string name, IReadOnlyList<ContainerInfo> oldContainers, CancellationToken cancellationToken)
    {
        var app = context.Application;
        var why = string.IsNullOrEmpty(app.CustomInternalName) ? "is_consistent_container_name_enabled" : "custom_internal_name";
        await context.Log.InfoAsync(
            $"The container has a fixed name ({name}, from {why}): old and new cannot run side by side, so the old container is stopped first (no zero-downtime rollout).");
        var renamed = new List<ContainerInfo>();
        foreach (var old in oldContainers)
        {
            if (old.IsRunning)
            {
                await context.RunAsync(DockerCommands.Stop(old.Name, app.StopGracePeriod), cancellationToken);
            }

            var current = old.Name;
            if (old.Name == name)
            {
                current = $"{name}-replaced-{context.Deployment.Uuid}";
                await context.RunAsync(DockerCommands.Rename(old.Name, current), cancellationToken);
                context.RenamedOldContainers[current] = old.Name;
            }

            if (old.IsRunning)
            {
                context.StoppedOldContainers.Add(current);
            }

            renamed.Add(old with { Name = current, State = old.IsRunning ? "exited" : old.State });
        }

        context.OldContainers = renamed;
        return renamed;
    }

    /// <summary>
    /// On the server's <c>slipway</c> network (created when missing), the application's port published on a
    /// 127.0.0.1 port Slipway picks: a port another process holds fails the run at once, so the next candidate is tried.
    /// </summary>
    private static async Task RunBehindProxyAsync(DeploymentContext context, ContainerRun run, CancellationToken cancellationToken)
    {
        var taken = new HashSet<int> { context.RoutedPort ?? 0, context.DrainingPort ?? 0 };
        string last = "no attempt was made";
        for (var attempt = 1; attempt <= PortAttempts; attempt++)
        {
            var port = context.UpstreamPorts.Pick(taken);
            taken.Add(port);
            var mapping = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}:{context.Port.ToString(CultureInfo.InvariantCulture)}";
            var result = await context.RunAsync(DockerCommands.Run(run with { PortMappings = [mapping] }), cancellationToken, throwOnFailure: false);
            if (result.Succeeded)
            {
                context.NewUpstreamPort = port;
                await context.Log.InfoAsync($"The new container runs beside the old one on the {SlipwayNetwork.Name} network; the proxy reaches it at 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}.");
                return;
            }

            last = string.Join(' ', result.StandardErrorTail);
            if (!last.Contains("already allocated", StringComparison.Ordinal) && !last.Contains("address already in use", StringComparison.Ordinal))
            {
                break;
            }

            await context.Log.InfoAsync($"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)} is in use on the server; trying another port.");
            await context.RunAsync(DockerCommands.Remove(run.Name), cancellationToken, throwOnFailure: false);
        }

        throw new DeploymentFailedException($"The new container could not be started: {last}");
    }

    private const int PortAttempts = 5;

    public async Task CompensateAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        if (context.OldContainersRetired)
        {
            await context.Log.InfoAsync($"The new container {context.NewContainer} keeps serving: the previous one was already retired.");
            return;
        }

        if (context.NewContainer is { } created)
        {
            await context.RunAsync(DockerCommands.Remove(created), cancellationToken, throwOnFailure: false);
            await context.Log.InfoAsync($"Removed the new container {created}.");
        }

        foreach (var (renamed, original) in context.RenamedOldContainers)
        {
            // The new container is gone, so the fixed name is free again for the container that had it.
            await context.RunAsync(DockerCommands.Rename(renamed, original), cancellationToken, throwOnFailure: false);
        }

        foreach (var stopped in context.StoppedOldContainers)
        {
            var old = context.RenamedOldContainers.GetValueOrDefault(stopped, stopped);
            var started = await context.RunAsync(DockerCommands.Start(old), cancellationToken, throwOnFailure: false);
            await context.Log.InfoAsync(started.Succeeded
                ? $"Started the previous container {old} again; it keeps serving."
                : $"Could not start the previous container {old} again.");
        }
    }

    /// <summary>
    /// The application's <c>ports_mappings</c>. A preview publishes only its own port (from the preview range) to the
    /// application's port, on the address production's first mapping binds to; on host networking it listens on its
    /// own port instead and publishes nothing.
    /// </summary>
    public static IReadOnlyList<string> PortMappings(DeploymentContext context)
    {
        var production = PortRules.Split(context.Application.PortsMappings ?? string.Empty);
        if (context.Deployment.PullRequestId == 0)
        {
            return production;
        }

        if (context.UsesHostNetwork || context.Work.Preview is not { } preview)
        {
            return [];
        }

        var address = production.Count > 0 ? PortRules.MappingAddress(production[0]) : null;
        var published = $"{preview.Port.ToString(CultureInfo.InvariantCulture)}:{context.Port.ToString(CultureInfo.InvariantCulture)}";
        return [address is null ? published : $"{address}:{published}"];
    }

    /// <summary>
    /// <c>{application uuid}-{HHmmssffffff}</c> as Coolify names containers; production with <c>custom_internal_name</c>
    /// or <c>is_consistent_container_name_enabled</c> uses that fixed name. A preview uses the fixed name
    /// <c>{uuid}-pr-{N}</c>, except when it rolls out beside its previous container: <c>{uuid}-pr-{N}-{HHmmssffffff}</c>.
    /// </summary>
    public static string ContainerName(DeploymentContext context)
    {
        var time = context.Clock.GetUtcNow().UtcDateTime.ToString("HHmmssffffff", CultureInfo.InvariantCulture);
        if (context.Deployment.PullRequestId == 0)
        {
            return context.FixedContainerName ?? $"{context.Application.Uuid}-{time}";
        }

        var preview = DockerCommands.PreviewName(context.Application.Uuid, context.Deployment.PullRequestId);
        return context.RollsOutBehindProxy ? $"{preview}-{time}" : preview;
    }

    /// <summary>Docker's env-file format: one <c>KEY=value</c> per line, taken literally (values cannot hold newlines).</summary>
    public static string EnvFile(DeploymentContext context)
    {
        var variables = context.Work.Variables.Where(v => v.IsRuntime).ToList();
        var builder = new StringBuilder();
        if (variables.All(v => v.Key != "PORT"))
        {
            builder.Append("PORT=").Append(context.Port.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        foreach (var variable in variables)
        {
            builder.Append(variable.Key).Append('=').Append(variable.Value).Append('\n');
        }

        return builder.ToString();
    }
}
