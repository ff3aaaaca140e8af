using System.Globalization;
using Slipway.Core.Execution;
using Slipway.Core.Validation;

namespace Slipway.Core.Commands;

/// <summary>
/// Renders every Docker command Slipway runs, as argument lists (Kamal's <c>commands/</c>): pure functions,
/// tested by comparing the rendered command, never by running it.
/// </summary>
public static class DockerCommands
{
    public const string ManagedLabel = "slipway.managed";
    public const string ApplicationLabel = "slipway.application";
    public const string DeploymentLabel = "slipway.deployment";
    public const string PullRequestLabel = "slipway.pull-request";
    public const string CommitLabel = "slipway.commit";
    public const string BuildHashLabel = "slipway.build-hash";

    private const string BuildKitVariable = "DOCKER_BUILDKIT";

    /// <summary>
    /// A preview's name, <c>{application uuid}-pr-{N}</c>: its container's name and its images' repository. Deploying
    /// and removing a preview both use it, so removal finds exactly what the deployments made.
    /// </summary>
    public static string PreviewName(string applicationUuid, int pullRequestId) =>
        $"{applicationUuid}-pr-{pullRequestId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Builds an image with the server's probed client (<see cref="ImageBuild.Client"/>), with BuildKit or the legacy
    /// builder as the probe found, on the build network chosen for it (<see cref="ImageBuild.Network"/>; null is
    /// Docker's default). Build arguments are passed by name only and their values through the client's
    /// environment, set before Slipway's own <c>DOCKER_BUILDKIT</c> so they cannot replace it (nor can they be named
    /// like anything the client reads: see <see cref="Validation.BuildVariableRules"/>).
    /// </summary>
    public static CommandSpec Build(ImageBuild build)
    {
        var args = new List<CommandArg> { "build" };
        if (build.Network is { } network)
        {
            args.Add("--network");
            args.Add(network);
        }

        // BuildKit always removes its intermediate containers and writes plain progress when not on a terminal; the
        // option makes that explicit. The legacy builder needs to be told to remove them, even after a failure.
        args.AddRange(build.BuildKit ? ["--progress", "plain"] : ["--rm", "--force-rm"]);
        args.AddRange(["-f", build.DockerfilePath, "-t", build.Image]);
        if (build.NoCache)
        {
            args.Add("--no-cache");
        }

        if (build.Target is { } target)
        {
            args.Add("--target");
            args.Add(target);
        }

        foreach (var key in build.BuildArguments.Keys.Where(k => !build.Secrets.Contains(k)).Order(StringComparer.Ordinal))
        {
            // "--build-arg KEY" without a value: Docker takes it from the environment, so the value stays off the command line.
            args.Add("--build-arg");
            args.Add(key);
        }

        foreach (var key in build.Secrets.Order(StringComparer.Ordinal))
        {
            // A BuildKit secret read from the client's environment (RUN --mount=type=secret,id=KEY): never in the image or its history.
            args.Add("--secret");
            args.Add($"id={key},env={key}");
        }

        foreach (var (key, value) in build.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            args.Add("--label");
            args.Add($"{key}={value}");
        }

        args.Add(build.ContextPath);
        var environment = new Dictionary<string, string>(build.BuildArguments, StringComparer.Ordinal)
        {
            [BuildKitVariable] = build.BuildKit ? "1" : "0",
        };
        return new CommandSpec(build.Client, args, environment);
    }

    public static CommandSpec Run(ContainerRun run)
    {
        var restart = run.MaxRestartCount > 0 ? $"on-failure:{run.MaxRestartCount.ToString(CultureInfo.InvariantCulture)}" : "unless-stopped";
        var args = new List<CommandArg> { "run", "-d", "--name", run.Name, "--init", "--restart", restart };
        // The user's labels first: Slipway's own come after them, so even a label that slipped past the rules could not replace one.
        foreach (var (key, value) in run.CustomLabels.Where(l => !run.Labels.ContainsKey(l.Key)))
        {
            args.Add("--label");
            args.Add($"{key}={value}");
        }

        foreach (var (key, value) in run.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            args.Add("--label");
            args.Add($"{key}={value}");
        }

        if (run.EnvFile is not null)
        {
            args.Add("--env-file");
            args.Add(run.EnvFile);
        }

        foreach (var mapping in run.PortMappings)
        {
            args.Add("-p");
            args.Add(mapping);
        }

        if (run.Memory is { } memory)
        {
            args.Add("--memory");
            args.Add(memory);
        }

        if (run.Cpus is { } cpus)
        {
            args.Add("--cpus");
            args.Add(cpus);
        }

        AddLimits(args, run.Limits);
        if (run.StopTimeoutSeconds is { } stopTimeout)
        {
            args.Add("--stop-timeout");
            args.Add(stopTimeout.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (run.Network is { } network)
        {
            args.Add("--network");
            args.Add(network);
        }

        foreach (var option in run.Options)
        {
            args.Add(option.Name);
            args.Add(option.Value);
        }

        args.Add(run.Image);
        return new CommandSpec("docker", args);
    }

    private static void AddLimits(List<CommandArg> args, RuntimeLimits limits)
    {
        void Add(string option, string? value)
        {
            if (value is not null)
            {
                args.Add(option);
                args.Add(value);
            }
        }

        Add("--memory-swap", limits.MemorySwap);
        Add("--memory-reservation", limits.MemoryReservation);
        Add("--memory-swappiness", limits.MemorySwappiness?.ToString(CultureInfo.InvariantCulture));
        Add("--cpuset-cpus", limits.Cpuset);
        Add("--cpu-shares", limits.CpuShares?.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A health-check command run in the container: <c>docker exec CONTAINER sh -c SCRIPT sh SECONDS COMMAND</c>. The
    /// script is fixed and the command is its positional parameter, run by the container's own <c>sh -c</c> (never a
    /// host shell); where the image has <c>timeout</c>, it kills the command when the check's timeout ends, so a
    /// hanging check does not outlive the killed <c>docker exec</c> client inside the container.
    /// </summary>
    public static CommandSpec ExecHealthCheck(string container, string command, int timeoutSeconds) =>
        CommandSpec.Of("docker", "exec", container, "sh", "-c",
            "if command -v timeout >/dev/null 2>&1; then exec timeout -s KILL \"$1\" sh -c \"$2\"; else exec sh -c \"$2\"; fi",
            "sh", timeoutSeconds.ToString(CultureInfo.InvariantCulture), command);

    /// <summary>The environment variable that marks a release command's processes inside the container, so they can be killed.</summary>
    public const string ReleaseMarkerVariable = "SLIPWAY_RELEASE";

    /// <summary>
    /// A pre- or post-deployment command in a running container: <c>docker exec</c> with the container's own
    /// <c>sh -c COMMAND</c> (the command is a positional parameter of a fixed script, never spliced into it), under
    /// <c>timeout -s KILL</c> where the image has it. Every process it starts inherits <paramref name="marker"/> in
    /// <see cref="ReleaseMarkerVariable"/>: killing the <c>docker exec</c> client does not stop them, <see cref="KillRelease"/> does.
    /// </summary>
    public static CommandSpec ExecRelease(string container, string marker, string command, int timeoutSeconds) =>
        CommandSpec.Of("docker", "exec", "-e", $"{ReleaseMarkerVariable}={marker}", container, "sh", "-c",
            "if command -v timeout >/dev/null 2>&1; then exec timeout -s KILL \"$1\" sh -c \"$2\"; else exec sh -c \"$2\"; fi",
            "sh", timeoutSeconds.ToString(CultureInfo.InvariantCulture), command);

    /// <summary>
    /// Kills every process in the container whose environment holds <paramref name="marker"/> (a cancelled or timed-out
    /// release command and all it started): the script is fixed, the marker its positional parameter.
    /// </summary>
    public static CommandSpec KillRelease(string container, string marker) =>
        CommandSpec.Of("docker", "exec", container, "sh", "-c",
            "for f in /proc/[0-9]*/environ; do if tr '\\000' '\\n' 2>/dev/null < \"$f\" | grep -qx \"" + ReleaseMarkerVariable
            + "=$1\"; then p=\"${f%/environ}\"; kill -KILL \"${p#/proc/}\" 2>/dev/null; fi; done; true",
            "sh", marker);

    /// <summary>Connects a running container to a network as well (<c>connect_to_docker_network</c>).</summary>
    public static CommandSpec ConnectNetwork(string network, string container) => CommandSpec.Of("docker", "network", "connect", network, container);

    /// <summary>Renames a container (a fixed name is freed for the new container, and given back if it fails).</summary>
    public static CommandSpec Rename(string container, string newName) => CommandSpec.Of("docker", "rename", container, newName);

    public static CommandSpec ImageBuildHash(string image) =>
        CommandSpec.Of("docker", "image", "inspect", "--format", "{{ index .Config.Labels \"" + BuildHashLabel + "\" }}", image);

    public static CommandSpec ImageExists(string image) => CommandSpec.Of("docker", "image", "inspect", "--format", "{{.Id}}", image);

    public static CommandSpec Pull(string image) => CommandSpec.Of("docker", "pull", image);

    /// <summary>Containers of an application (and pull request), running or not: <c>name \t state \t image \t deployment</c>.</summary>
    public static CommandSpec ListContainers(string applicationUuid, int pullRequestId) =>
        CommandSpec.Of("docker", "ps", "-a",
            "--filter", $"label={ApplicationLabel}={applicationUuid}",
            "--filter", $"label={PullRequestLabel}={pullRequestId}",
            "--format", "{{.Names}}\t{{.State}}\t{{.Image}}\t{{.Label \"" + DeploymentLabel + "\"}}\t{{.CreatedAt}}");

    public static CommandSpec ListContainersOfDeployment(string deploymentUuid) =>
        CommandSpec.Of("docker", "ps", "-a", "--filter", $"label={DeploymentLabel}={deploymentUuid}", "--format", "{{.Names}}");

    public static CommandSpec ListContainersOfApplication(string applicationUuid) =>
        CommandSpec.Of("docker", "ps", "-a", "--filter", $"label={ApplicationLabel}={applicationUuid}", "--format", "{{.Names}}");

    /// <summary>One JSON object with the container's state, health, network mode, addresses and the image's health check.</summary>
    public static CommandSpec InspectState(string container) =>
        CommandSpec.Of("docker", "inspect", "--format",
            "{{json .State}}\t{{.HostConfig.NetworkMode}}\t{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}\t{{json .Config.Healthcheck}}",
            container);

    public static CommandSpec Top(string container) => CommandSpec.Of("docker", "top", container, "-o", "pid");

    public static CommandSpec Logs(string container, int tail) =>
        CommandSpec.Of("docker", "logs", "--tail", tail.ToString(System.Globalization.CultureInfo.InvariantCulture), container);

    /// <summary><c>-t</c>: old engines know only <c>--time</c>, new clients deprecate it for <c>--timeout</c>; both accept <c>-t</c>.</summary>
    public static CommandSpec Stop(string container, int graceSeconds) =>
        CommandSpec.Of("docker", "stop", "-t", graceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), container);

    public static CommandSpec Start(string container) => CommandSpec.Of("docker", "start", container);

    public static CommandSpec Remove(string container) => CommandSpec.Of("docker", "rm", "-f", container);

    /// <summary>The application's images: <c>tag \t created \t id</c>, newest first as Docker lists them.</summary>
    public static CommandSpec ListImages(string repository) =>
        CommandSpec.Of("docker", "image", "ls", repository, "--format", "{{.Tag}}\t{{.CreatedAt}}\t{{.ID}}");

    /// <summary>Every image built for the application, previews included: <c>repository:tag</c>.</summary>
    public static CommandSpec ListImagesOfApplication(string applicationUuid) =>
        CommandSpec.Of("docker", "image", "ls", "--filter", $"label={ApplicationLabel}={applicationUuid}", "--format", "{{.Repository}}:{{.Tag}}");

    public static CommandSpec RemoveImage(string image) => CommandSpec.Of("docker", "image", "rm", image);

    public static CommandSpec Version() => CommandSpec.Of("docker", "version", "--format", "{{.Server.Version}}");

    /// <summary>The driver of a network (<c>bridge</c>, <c>host</c>, …); fails when there is no such network.</summary>
    public static CommandSpec NetworkDriver(string network, string client = "docker") =>
        CommandSpec.Of(client, "network", "inspect", "--format", "{{.Driver}}", network);

    /// <summary>A user-defined bridge network, labelled as Slipway's. Such networks work on engines without a default bridge too.</summary>
    public static CommandSpec CreateNetwork(string network) =>
        CommandSpec.Of("docker", "network", "create", "--driver", "bridge", "--label", $"{ManagedLabel}=true", network);

    /// <summary>
    /// Where the program <paramref name="name"/> on the target's PATH is. The script is fixed; the name is its
    /// positional parameter, never part of the script.
    /// </summary>
    public static CommandSpec Locate(string name) => CommandSpec.Of("sh", "-c", "command -v -- \"$1\"", "sh", name);

    public static CommandSpec BuildxVersion(string client) => CommandSpec.Of(client, "buildx", "version");

    /// <summary>
    /// Whether <paramref name="client"/> builds with BuildKit: an empty image built from a Dockerfile on standard
    /// input with <c>DOCKER_BUILDKIT=1</c>, sent to <c>/dev/null</c> (nothing is stored, no network is used). A client
    /// without BuildKit refuses (newer ones without buildx) or builds with the legacy builder, which has no <c>-o</c>.
    /// </summary>
    public static CommandSpec BuildKitProbe(string client) =>
        new(client, ["build", "--network", "none", "-o", "type=tar,dest=/dev/null", "-"],
            new Dictionary<string, string> { [BuildKitVariable] = "1" }, StandardInput: "FROM scratch\n");
}

/// <summary>What to build: the image tag, the Dockerfile and context paths, build arguments (values are secret) and labels.</summary>
public sealed record ImageBuild(
    string Image,
    string DockerfilePath,
    string ContextPath,
    IReadOnlyDictionary<string, string> BuildArguments,
    IReadOnlyDictionary<string, string> Labels,
    bool NoCache)
{
    /// <summary>The docker client to build with (the server's probed absolute path).</summary>
    public string Client { get; init; } = "docker";

    public bool BuildKit { get; init; }

    /// <summary>The build's network: <c>host</c>, <c>none</c>, or null for Docker's default build network.</summary>
    public string? Network { get; init; }

    /// <summary>The Dockerfile stage to build (<c>dockerfile_target_build</c>), or null for the last.</summary>
    public string? Target { get; init; }

    /// <summary>Names among <see cref="BuildArguments"/> passed as BuildKit secrets instead of build arguments (their values only in the environment).</summary>
    public IReadOnlySet<string> Secrets { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}

/// <summary>How to run the new container.</summary>
public sealed record ContainerRun(
    string Name,
    string Image,
    IReadOnlyDictionary<string, string> Labels,
    string? EnvFile,
    IReadOnlyList<string> PortMappings,
    IReadOnlyList<RunOption> Options,
    string? Memory,
    string? Cpus,
    int? StopTimeoutSeconds)
{
    /// <summary>The network Slipway puts the container on (its <c>slipway</c> network), or null when the options name one.</summary>
    public string? Network { get; init; }

    /// <summary>More than 0: <c>--restart on-failure:N</c>; else <c>unless-stopped</c>.</summary>
    public int MaxRestartCount { get; init; }

    /// <summary>The user's labels (checked: none under <c>slipway.</c>); Slipway's <see cref="Labels"/> win a clash.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> CustomLabels { get; init; } = [];

    public RuntimeLimits Limits { get; init; } = RuntimeLimits.None;
}

/// <summary>The limits beyond <c>--memory</c> and <c>--cpus</c>; null values are not passed.</summary>
public sealed record RuntimeLimits(string? MemorySwap, string? MemoryReservation, int? MemorySwappiness, string? Cpuset, int? CpuShares)
{
    public static readonly RuntimeLimits None = new(null, null, null, null, null);
}
