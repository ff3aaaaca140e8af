using System.Text.RegularExpressions;
using Slipway.Core.Commands;
using Slipway.Core.Execution;
using Slipway.Core.Servers;
using Slipway.Core.Validation;

namespace Slipway.Core.Engine;

/// <summary>
/// How a server builds images: which docker client, BuildKit or the legacy builder, and on which network. The
/// server's Docker is probed before its first build and the result recorded on its row (<see cref="DockerProbe"/>),
/// so later builds only read it.
/// </summary>
public static partial class DockerBuilder
{
    /// <summary>An absolute path of plain characters: what a probe may record as the client, and the engine accepts back.</summary>
    public static bool IsClientPath(string path) => ClientPath().IsMatch(path);

    /// <summary>The recorded probe of the run's server, probing (and recording) it first when there is none.</summary>
    public static async Task<DockerProbe> EnsureProbedAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        if (context.Server.GetDockerProbe() is { } known)
        {
            return known;
        }

        var probe = await ProbeAsync(context, cancellationToken);
        context.Server.SetDockerProbe(probe);
        await context.Store.SaveDockerProbeAsync(context.Server.Id, probe, cancellationToken);
        await context.Log.InfoAsync(
            $"Probed Docker on {context.Target.Description}: builds use {probe.Builder}; "
            + $"{(probe.DefaultBridge ? "the engine has a default bridge network" : "the engine has no default bridge network")}. Recorded on the server.");
        return probe;
    }

    /// <summary>
    /// The build network and why. A preview never builds on the host network (a fork's Dockerfile must not reach the
    /// server's own services); production does only where the server allows host networking. Otherwise Docker's
    /// default build network, or none on engines without a default bridge (BuildKit cannot build on a missing one).
    /// </summary>
    public static (string? Network, string Reason) Network(bool preview, bool serverAllowsHostNetwork, bool defaultBridge) =>
        (preview, serverAllowsHostNetwork, defaultBridge) switch
        {
            (false, true, _) => (DockerRunOptions.HostNetwork, "the server allows host networking"),
            (_, _, true) => (null, preview ? "a preview never builds on the host network" : "the server does not allow host networking"),
            _ => ("none", (preview ? "a preview never builds on the host network" : "the server does not allow host networking")
                + " and the engine has no default bridge network"),
        };

    private static async Task<DockerProbe> ProbeAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var candidates = context.Options.DockerClients is { Count: > 0 } configured ? configured.ToList() : [.. EngineOptions.DefaultDockerClients];
        var found = new List<string>();
        string? buildKitClient = null;
        foreach (var candidate in candidates)
        {
            var path = candidate.StartsWith('/') ? (IsClientPath(candidate) ? candidate : null) : await LocateAsync(context, candidate, cancellationToken);
            if (path is null || found.Contains(path, StringComparer.Ordinal))
            {
                continue;
            }

            CommandResult buildx;
            try
            {
                buildx = await context.RunAsync(DockerCommands.BuildxVersion(path), cancellationToken, throwOnFailure: false, quiet: true);
            }
            catch (CommandNotFoundException)
            {
                continue;
            }

            found.Add(path);
            if (buildx.Succeeded || (await context.RunAsync(DockerCommands.BuildKitProbe(path), cancellationToken, throwOnFailure: false, quiet: true)).Succeeded)
            {
                buildKitClient = path;
                break;
            }
        }

        var client = buildKitClient ?? found.FirstOrDefault()
            ?? throw new DeploymentFailedException(
                $"No docker client was found on {context.Target.Description} (looked for {string.Join(", ", candidates)}).");
        var bridge = await context.RunAsync(DockerCommands.NetworkDriver("bridge", client), cancellationToken, throwOnFailure: false, quiet: true);
        return new DockerProbe(client, buildKitClient is not null, bridge.Succeeded && bridge.Output.Trim() == "bridge", Common.Timestamps.Now(context.Clock));
    }

    private static async Task<string?> LocateAsync(DeploymentContext context, string name, CancellationToken cancellationToken)
    {
        var located = await context.RunAsync(DockerCommands.Locate(name), cancellationToken, throwOnFailure: false, quiet: true);
        var path = located.Output.Trim();
        return located.Succeeded && IsClientPath(path) ? path : null;
    }

    [GeneratedRegex(@"^/[A-Za-z0-9._+/-]{1,255}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ClientPath();
}
