using System.Globalization;
using System.Text;
using Slipway.Core.Commands;

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
        var mappings = string.IsNullOrWhiteSpace(app.PortsMappings) || context.Deployment.PullRequestId != 0
            ? []
            : app.PortsMappings.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var run = new ContainerRun(
            name, context.Image!, labels, envFile, mappings, context.RunOptions,
            app.LimitsMemory == "0" ? null : app.LimitsMemory,
            app.LimitsCpus == "0" ? null : app.LimitsCpus,
            app.StopGracePeriod);
        // Starting a container is visible to everyone: only while this instance still owns the run.
        await context.EnsureOwnedAsync(cancellationToken);
        await context.RunAsync(DockerCommands.Run(run), cancellationToken);
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
