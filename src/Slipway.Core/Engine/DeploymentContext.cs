using Slipway.Core.Applications;
using Slipway.Core.Cluster;
using Slipway.Core.Commands;
using Slipway.Core.Deployments;
using Slipway.Core.Execution;
using Slipway.Core.Proxy;
using Slipway.Core.Servers;
using Slipway.Core.Validation;

namespace Slipway.Core.Engine;

/// <summary>
/// The state of one run, shared by its steps through typed properties (never a string-keyed bag): what was
/// resolved, built and started, so later steps and compensations know what to use or undo.
/// </summary>
public sealed class DeploymentContext
{
    private readonly Lock _processIdGate = new();
    private Task _processIdWrites = Task.CompletedTask;
    private string? _lastProcessId;
    private bool _processIdWritten;
    private int? _previewRoutedPort;
    private bool _previewRouted;

    public required DeploymentWork Work { get; init; }
    public required IExecutionTarget Target { get; init; }
    public required RunLogWriter Log { get; init; }
    public required IEngineStore Store { get; init; }
    public required TimeProvider Clock { get; init; }
    public required EngineOptions Options { get; init; }
    public required IHttpProber Prober { get; init; }

    /// <summary>Whether this instance still owns the run (see <see cref="IRunFence"/>); none by default.</summary>
    public IRunFence Fence { get; init; } = NoFence.Instance;

    /// <summary>The servers' edge proxies: a run whose domains a proxy serves has it route them once the container serves.</summary>
    public required IProxyService Proxy { get; init; }

    public Deployment Deployment => Work.Deployment;
    public Application Application => Work.Application;
    public Server Server => Work.Server;
    public ICommandRunner Runner => Target.Runner;

    /// <summary>The run's work directory on the target: <c>{work root}/{deployment uuid}</c>.</summary>
    public string WorkDir => $"{Target.WorkRoot}/{Deployment.Uuid}";

    public string SourceDir => $"{WorkDir}/src";

    /// <summary>The commit being deployed: the row's commit, resolved from <c>HEAD</c> by the resolve step.</summary>
    public string Commit { get; set; } = "HEAD";

    /// <summary>The image the new container runs.</summary>
    public string? Image { get; set; }

    public string? NewContainer { get; set; }

    /// <summary>
    /// The application's containers that existed before this run (for this pull request), as <see cref="Steps.GatherFactsStep"/>
    /// listed them; the start step renames them when it frees a fixed name.
    /// </summary>
    public IReadOnlyList<ContainerInfo> OldContainers { get; set; } = [];

    /// <summary>
    /// The images of <see cref="ImageRepository"/> before this run built anything, newest first, as
    /// <see cref="Steps.GatherFactsStep"/> listed them: whether this commit's image exists (to reuse or roll back to)
    /// and which to prune. Nothing else adds or removes them meanwhile: one deployment per application runs at a time.
    /// </summary>
    public IReadOnlyList<ImageHistory.Image> ImagesBefore { get; set; } = [];

    /// <summary>
    /// What inspecting the <c>slipway</c> network answered before the run (<see cref="Steps.GatherFactsStep"/>), when
    /// the new container joins it; null when it was not inspected.
    /// </summary>
    public CommandResult? SlipwayNetworkBefore { get; set; }

    /// <summary>Old containers this run stopped before starting the new one (restarted if the run fails).</summary>
    public List<string> StoppedOldContainers { get; } = [];

    /// <summary>
    /// The old containers are gone and the new one is the application: a failure (or a cancel) after this point
    /// must not remove the new container or route back to the old one, which would leave nothing serving.
    /// </summary>
    public bool OldContainersRetired { get; set; }

    /// <summary>Old containers renamed to free a fixed name for the new one: renamed name → original name (given back on failure).</summary>
    public Dictionary<string, string> RenamedOldContainers { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The production container's fixed name (<c>custom_internal_name</c>, or the uuid with
    /// <c>is_consistent_container_name_enabled</c>): old and new cannot run side by side under one name, so the old
    /// one is stopped first. Null for previews (they keep their own fixed name) and for per-deployment names.
    /// </summary>
    public string? FixedContainerName => Deployment.PullRequestId == 0 ? RuntimeRules.FixedContainerName(Application) : null;

    public IReadOnlyList<RunOption> RunOptions { get; set; } = [];

    public bool UsesHostNetwork => RunOptions.Any(o => o.Name == "--network" && o.Value == "host");

    /// <summary>
    /// Zero-downtime rollout: the server's proxy routes this application's domains, and nothing pins it to fixed host
    /// ports or another network, so the new container starts beside the old one on the <c>slipway</c> network with
    /// its port published on a 127.0.0.1 port Slipway picks, and the route switches once it answers there. A
    /// preview with a domain rolls out the same way (its containers then get names of their own, as production's).
    /// </summary>
    public bool RollsOutBehindProxy =>
        Server.Proxy.IsEnabled && string.IsNullOrWhiteSpace(Application.PortsMappings)
        && DockerRunOptions.TryParse(Application.CustomDockerRunOptions, out var options, out _) && options.All(o => o.Name != "--network")
        && Steps.RouteThroughProxyStep.Domains(this).Count > 0;

    /// <summary>
    /// The 127.0.0.1 port the proxy dials now for this run's application or preview (the last rollout's), null when
    /// none was recorded; set once the route is switched.
    /// </summary>
    public int? RoutedPort
    {
        get => Deployment.PullRequestId == 0 ? Application.ProxyUpstreamPort : _previewRouted ? _previewRoutedPort : Work.Preview?.UpstreamPort;
        set
        {
            if (Deployment.PullRequestId == 0)
            {
                Application.ProxyUpstreamPort = value;
                return;
            }

            (_previewRoutedPort, _previewRouted) = (value, true);
        }
    }

    /// <summary>The port of a previous container still listed behind the routed one (a rollout's drain that did not finish).</summary>
    public int? DrainingPort => Deployment.PullRequestId == 0 ? Application.ProxyDrainingPort : Work.Preview?.DrainingPort;

    /// <summary>Records where the proxy dials this run's application or preview (and the port it drains).</summary>
    public Task SetRouteAsync(int? port, int? drainingPort, CancellationToken cancellationToken) =>
        Store.SetProxyUpstreamAsync(Application.Id, Deployment.PullRequestId, port, drainingPort, cancellationToken);

    /// <summary>Where a rolled-out container's 127.0.0.1 port comes from.</summary>
    public IUpstreamPortPicker UpstreamPorts { get; init; } = new RandomUpstreamPortPicker();

    /// <summary>The 127.0.0.1 port the new container is published on (zero-downtime rollout only).</summary>
    public int? NewUpstreamPort { get; set; }

    /// <summary>Fixed host ports (published mappings, or host networking) make old and new unable to run side by side.</summary>
    public bool StopOldFirst => UsesHostNetwork || !string.IsNullOrWhiteSpace(Application.PortsMappings);

    /// <summary>
    /// The port the application listens on (passed as <c>PORT</c>, served by static images, health-checked). A preview
    /// on host networking shares the host's ports with production and other previews, so it uses its own port.
    /// </summary>
    public int Port => PreviewPort ?? PortRules.ParseExposes(Application.PortsExposes)[0];

    /// <summary>The preview's own host port, when this is a preview on host networking; else null.</summary>
    public int? PreviewPort => Deployment.PullRequestId != 0 && UsesHostNetwork ? Work.Preview?.Port : null;

    /// <summary>Where this run's images go: <c>{uuid}</c>, or <c>{uuid}-pr-{N}</c> so a preview's images are pruned and removed on their own.</summary>
    public string ImageRepository => Deployment.PullRequestId != 0 ? DockerCommands.PreviewName(Application.Uuid, Deployment.PullRequestId) : Application.Uuid;

    /// <summary>
    /// Reports the PID of the command now running into <c>current_process_id</c> without holding up the command's
    /// output: the write runs in the background (SQLite's "async" calls complete synchronously), chained after the
    /// previous one so the last PID reported is the one stored. <see cref="ProcessIdsRecordedAsync"/> waits for them.
    /// </summary>
    public Task OnProcessStartedAsync(int? processId)
    {
        var value = processId?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        lock (_processIdGate)
        {
            // The row already holds the value reported last (none when the run was claimed): writing it again costs a
            // round trip, and every other instance a notification, for nothing (a target that reports no PIDs wrote null per command).
            if (value == _lastProcessId)
            {
                return Task.CompletedTask;
            }

            _lastProcessId = value;
            _processIdWritten = true;
            var previous = _processIdWrites;
            _processIdWrites = Task.Run(async () =>
            {
                // A failed write fails every later one too, so the failure is seen where the writes are awaited.
                await previous;
                await Store.SetProcessIdAsync(Deployment.Id, value, CancellationToken.None);
            }, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>True when a PID was stored on the row by this run (it must be cleared when the run ends).</summary>
    public bool ProcessIdStored
    {
        get
        {
            lock (_processIdGate)
            {
                return _processIdWritten;
            }
        }
    }

    /// <summary>Completes when every PID reported so far is stored; throws if a write failed.</summary>
    public Task ProcessIdsRecordedAsync()
    {
        lock (_processIdGate)
        {
            return _processIdWrites;
        }
    }

    /// <summary>
    /// Throws <see cref="DeploymentFencedException"/> when another instance has taken this run over. Called before
    /// every step and before every side effect others can see: starting a container, retiring one, switching a route.
    /// </summary>
    public Task EnsureOwnedAsync(CancellationToken cancellationToken) => Fence.EnsureOwnedAsync(Deployment, cancellationToken);

    /// <summary>
    /// The lease half of <see cref="EnsureOwnedAsync"/>, without I/O: called before every step. Another instance takes a
    /// run over only once this instance's lease has expired, and this instance counts its lease as ended before the
    /// database does (<see cref="IRunFence.Holds"/>), so the row's read is kept for the side effects others can see; one
    /// read per step cost a no-op deployment about 10 round trips (bench/ha.sh).
    /// </summary>
    public void EnsureLeaseHeld()
    {
        if (!Fence.Holds(Deployment.InstanceGeneration))
        {
            throw new DeploymentFencedException($"This instance lost its lease (generation {Deployment.InstanceGeneration}); another instance owns the deployment now.");
        }
    }

    /// <summary>Runs a command on the target with its output in the log and its PID recorded.</summary>
    public Task<CommandResult> RunAsync(CommandSpec command, CancellationToken cancellationToken, bool throwOnFailure = true, bool quiet = false) =>
        Log.RunAsync(Runner, command, cancellationToken, throwOnFailure, quiet, OnProcessStartedAsync);
}

/// <summary>A container as <c>docker ps</c> lists it.</summary>
public sealed record ContainerInfo(string Name, string State, string Image, string DeploymentUuid)
{
    public bool IsRunning => State is "running" or "restarting";
}
