using System.Globalization;
using Slipway.Core.Commands;
using Slipway.Core.Execution;

namespace Slipway.Core.Proxy;

public sealed partial class ProxyService
{
    /// <summary>The proxy container as <c>docker inspect</c> shows it.</summary>
    private sealed record ProxyContainer(string Status, string Image, int? AdminPort);

    /// <summary>
    /// Makes sure the container runs the stored image for the plan's admin port: created anew when missing, when the
    /// image or admin port changed, or on <c>proxy/restart</c>; started when stopped. Before a (re)start the config
    /// about to be pushed is written into the volume as Caddy's autosave, so Caddy starts straight into it.
    /// Returns what was done, or null when the container was already running.
    /// </summary>
    private async Task<string?> EnsureContainerAsync(
        IExecutionTarget target, ServerProxy settings, ProxyPlan plan, string json, bool recreate, CancellationToken cancellationToken)
    {
        var container = await InspectContainerAsync(target, cancellationToken);
        var fresh = recreate || container is null || container.Image != settings.Image || container.AdminPort != plan.AdminPort;
        if (!fresh && container!.Status == "running")
        {
            return null;
        }

        if (fresh)
        {
            if (container is not null)
            {
                await target.Runner.RunAsync(ProxyCommands.Remove(options.ContainerName), cancellationToken: cancellationToken);
            }

            await target.Runner.RunAsync(ProxyCommands.CreateVolume(options.Volume), cancellationToken: cancellationToken);
            await target.Runner.RunAsync(ProxyCommands.Create(options.ContainerName, options.Volume, settings.Image, plan.AdminPort), cancellationToken: cancellationToken);
        }

        await CopyFilesAsync(target, settings.AcmeCaRoot, json, cancellationToken);
        await target.Runner.RunAsync(ProxyCommands.Start(options.ContainerName), cancellationToken: cancellationToken);
        return fresh ? $"Created the proxy container {options.ContainerName} ({settings.Image})." : $"Started the proxy container {options.ContainerName}.";
    }

    /// <summary>
    /// Writes the files Caddy needs into its volume, through a directory on the server and <c>docker cp</c>: the
    /// ACME CA root (when set) and, before a start, the autosaved config.
    /// </summary>
    private async Task CopyFilesAsync(IExecutionTarget target, string? caRoot, string? autosave, CancellationToken cancellationToken)
    {
        if (caRoot is null && autosave is null)
        {
            return;
        }

        var directory = $"{target.WorkRoot}/proxy-{Guid.NewGuid():N}";
        try
        {
            if (caRoot is not null)
            {
                await target.CreateDirectoryAsync($"{directory}/slipway", cancellationToken);
                await target.WritePrivateFileAsync($"{directory}/slipway/{Path.GetFileName(CaddyPaths.AcmeCaRoot)}", caRoot, cancellationToken);
            }

            if (autosave is not null)
            {
                await target.CreateDirectoryAsync($"{directory}/config/caddy", cancellationToken);
                await target.WritePrivateFileAsync($"{directory}/config/caddy/{Path.GetFileName(CaddyPaths.Autosave)}", autosave, cancellationToken);
            }

            await target.Runner.RunAsync(ProxyCommands.CopyIntoVolume(directory, options.ContainerName), cancellationToken: cancellationToken);
        }
        finally
        {
            await target.DeleteDirectoryAsync(directory, CancellationToken.None);
        }
    }

    private async Task<ProxyContainer?> InspectContainerAsync(IExecutionTarget target, CancellationToken cancellationToken)
    {
        var result = await target.Runner.RunAsync(ProxyCommands.Inspect(options.ContainerName), throwOnFailure: false, cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            if (result.StandardErrorTail.Any(l => l.Contains("No such", StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }

            throw new CommandFailedException(ProxyCommands.Inspect(options.ContainerName), result.ExitCode, result.StandardErrorTail);
        }

        var parts = result.Output.Trim().Split('\t');
        var port = parts.Length > 2 && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : (int?)null;
        return new ProxyContainer(parts[0], parts.Length > 1 ? parts[1] : string.Empty, port);
    }

    private async Task<bool> RemoveContainerIfPresentAsync(IExecutionTarget target, CancellationToken cancellationToken)
    {
        if (await InspectContainerAsync(target, cancellationToken) is null)
        {
            return false;
        }

        await target.Runner.RunAsync(ProxyCommands.Remove(options.ContainerName), cancellationToken: cancellationToken);
        return true;
    }
}
