using System.Globalization;
using Slipway.Core.Execution;
using Slipway.Core.Proxy;

namespace Slipway.Core.Commands;

/// <summary>The Docker commands that manage a server's proxy container, as argument lists.</summary>
public static class ProxyCommands
{
    public const string ProxyLabel = "slipway.proxy";

    /// <summary>The admin port the container was created for: a different one means the container is created anew.</summary>
    public const string AdminPortLabel = "slipway.proxy.admin-port";

    /// <summary><c>status \t image \t admin port</c>; fails (non-zero) when there is no such container.</summary>
    public static CommandSpec Inspect(string container) =>
        CommandSpec.Of("docker", "container", "inspect", "--format",
            "{{.State.Status}}\t{{.Config.Image}}\t{{index .Config.Labels \"" + AdminPortLabel + "\"}}", container);

    public static CommandSpec CreateVolume(string volume) =>
        CommandSpec.Of("docker", "volume", "create", "--label", $"{DockerCommands.ManagedLabel}=true", volume);

    /// <summary>
    /// Caddy on the host network (so it binds the server's ports and reaches applications on its loopback), restarted
    /// by Docker after a crash or a reboot, starting from its autosaved config (<c>--resume</c>) in the volume.
    /// </summary>
    public static CommandSpec Create(string container, string volume, string image, int adminPort) =>
        CommandSpec.Of("docker", "create",
            "--name", container,
            "--network", "host",
            "--restart", "unless-stopped",
            "--label", $"{DockerCommands.ManagedLabel}=true",
            "--label", $"{ProxyLabel}=true",
            "--label", $"{AdminPortLabel}={adminPort.ToString(CultureInfo.InvariantCulture)}",
            "-v", $"{volume}:{CaddyPaths.DataDir}",
            "-e", $"XDG_DATA_HOME={CaddyPaths.DataDir}",
            "-e", $"XDG_CONFIG_HOME={CaddyPaths.ConfigHome}",
            image,
            "caddy", "run", "--resume");

    /// <summary>Copies the contents of a directory on the server into the container's volume (works on a stopped container too).</summary>
    public static CommandSpec CopyIntoVolume(string directory, string container) =>
        CommandSpec.Of("docker", "cp", directory.TrimEnd('/') + "/.", $"{container}:{CaddyPaths.DataDir}");

    public static CommandSpec Start(string container) => CommandSpec.Of("docker", "start", container);

    public static CommandSpec Remove(string container) => CommandSpec.Of("docker", "rm", "-f", container);

    /// <summary>The last lines Caddy logged (it logs JSON to standard error): where certificate errors show.</summary>
    public static CommandSpec Logs(string container, int tail) =>
        CommandSpec.Of("docker", "logs", "--tail", tail.ToString(CultureInfo.InvariantCulture), container);
}
