using System.Globalization;
using System.Text;
using Slipway.Core.Commands;
using Slipway.Core.Execution;
using Slipway.Core.Validation;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// Starts the new container. Runtime variables go through an env file (0600), never the command line; the app
/// gets <c>PORT</c>. When fixed host ports make old and new unable to coexist, the old container is stopped
/// first (and started again if this run fails). Compensation removes the new container.
/// </summary>
public sealed class StartContainerStep : ICompensatingStep
{
    private Task<CommandResult>? _network;

    public string Title => "Starting new container";

    /// <summary>Whether the container joins the slipway network: when the run options name no network, or name it.</summary>
    private static bool JoinsSlipwayNetwork(DeploymentContext context) => DockerRunOptions.Network(context.RunOptions) is null or SlipwayNetwork.Name;

    /// <summary>Inspects the slipway network alongside the steps before this one (the build, mostly).</summary>
    public void StartAhead(DeploymentContext context, CancellationToken cancellationToken)
    {
        if (_network is null && JoinsSlipwayNetwork(context))
        {
            _network = context.RunAheadAsync(SlipwayNetwork.Inspect, cancellationToken);
        }
    }

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var app = context.Application;
        var envFile = $"{context.WorkDir}/.env";
        await context.Target.WritePrivateFileAsync(envFile, EnvFile(context), cancellationToken);

        var name = ContainerName(context);
        var oldContainers = await context.OldContainers;
        foreach (var previous in oldContainers.Where(c => c.Name == name))
        {
            // A preview's container has a fixed name, so its previous container must be gone before the new one can
            // take the name: previews get no side-by-side start and no restore on failure (Coolify's behaviour too).
            await context.Log.InfoAsync($"Removing the preview's previous container {previous.Name} (previews keep one fixed name).");
            await context.RunAsync(DockerCommands.Remove(previous.Name), cancellationToken);
        }

        var running = oldContainers.Where(c => c.IsRunning && c.Name != name).ToList();
        if (context.StopOldFirst && running.Count > 0)
        {
            var why = context.UsesHostNetwork ? "host networking" : $"published ports ({app.PortsMappings})";
            await context.Log.InfoAsync($"The application uses fixed host ports ({why}): old and new cannot run side by side, so the old container is stopped first.");
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
        if (JoinsSlipwayNetwork(context))
        {
            await SlipwayNetwork.EnsureAsync(context, _network, cancellationToken);
        }

        var run = new ContainerRun(
            name, context.Image!, labels, envFile, PortMappings(context), context.RunOptions,
            app.LimitsMemory == "0" ? null : app.LimitsMemory,
            app.LimitsCpus == "0" ? null : app.LimitsCpus,
            app.StopGracePeriod)
        {
            Network = network is null ? SlipwayNetwork.Name : null,
        };
        // Starting a container is visible to everyone: only while this instance still owns the run.
        await context.EnsureOwnedAsync(cancellationToken);
        if (context.RollsOutBehindProxy)
        {
            await RunBehindProxyAsync(context, run, cancellationToken);
            return;
        }

        await context.RunAsync(DockerCommands.Run(run), cancellationToken);
    }

    /// <summary>
    /// On the server's <c>slipway</c> network (created when missing), the application's port published on a
    /// 127.0.0.1 port Slipway picks: a port another process holds fails the run at once, so the next candidate is tried.
    /// </summary>
    private static async Task RunBehindProxyAsync(DeploymentContext context, ContainerRun run, CancellationToken cancellationToken)
    {
        var taken = new HashSet<int> { context.Application.ProxyUpstreamPort ?? 0, context.Application.ProxyDrainingPort ?? 0 };
        string last = "no attempt was made";
        for (var attempt = 1; attempt <= PortAttempts; attempt++)
        {
            var port = PickPort(taken);
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

    /// <summary>Below Linux's ephemeral range (32768+), so outgoing connections never hold the port first.</summary>
    private static int PickPort(HashSet<int> taken)
    {
        while (true)
        {
            var port = System.Security.Cryptography.RandomNumberGenerator.GetInt32(20000, 32000);
            if (!taken.Contains(port))
            {
                return port;
            }
        }
    }

    public async Task CompensateAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        if (context.NewContainer is { } created)
        {
            await context.RunAsync(DockerCommands.Remove(created), cancellationToken, throwOnFailure: false);
            await context.Log.InfoAsync($"Removed the new container {created}.");
        }

        foreach (var old in context.StoppedOldContainers)
        {
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

    /// <summary><c>{application uuid}-{HHmmssffffff}</c> as Coolify names containers; previews use a fixed name.</summary>
    public static string ContainerName(DeploymentContext context) =>
        context.Deployment.PullRequestId != 0
            ? DockerCommands.PreviewName(context.Application.Uuid, context.Deployment.PullRequestId)
            : $"{context.Application.Uuid}-{context.Clock.GetUtcNow().UtcDateTime.ToString("HHmmssffffff", CultureInfo.InvariantCulture)}";

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
