using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Core.Engine.Steps;
using Slipway.Core.Execution;
using Slipway.Core.Proxy;
using Slipway.Core.Servers;
using Slipway.Core.Settings;
using Slipway.Core.Tests.Fakes;
using static Slipway.Core.Tests.Fakes.FakeCommandRunner;

namespace Slipway.Core.Tests.Engine;

/// <summary>
/// Zero-downtime rollout behind the proxy with the real planner and steps, a scripted Docker and a recording
/// proxy: start beside the old container, check it where the proxy dials it, switch, drain, retire.
/// </summary>
public sealed class RolloutPipelineTests
{
    private const string Running = "{\"Status\":\"running\",\"Running\":true,\"Pid\":7,\"ExitCode\":0}\tslipway\t172.18.0.5 \tnull";
    private const string Old = "appuuid0000000000000000-old";

    private readonly FakeCommandRunner _runner = new();
    private readonly MemoryDeploymentLog _log = new();
    private readonly RecordingProxy _proxy = new();
    private readonly FakeEngineStore _store = new();
    private readonly AddressProber _prober = new();

    public RolloutPipelineTests() => _runner
        .When(Starts("docker", "inspect"), 0, Running)
        .When(Starts("docker", "network", "inspect"), 0, "bridge");

    [Fact]
    public async Task ProxyWithoutHostPorts_StartsBesideTheOld_SwitchesDrainsThenRetiresIt()
    {
        _proxy.InFlight.Clear();
        foreach (var count in new int?[] { 2, 1, 0 })
        {
            _proxy.InFlight.Enqueue(count);
        }

        var commandsAtFirstReconcile = -1;
        _proxy.OnReconcile = () => commandsAtFirstReconcile = commandsAtFirstReconcile < 0 ? _runner.Commands.Count : commandsAtFirstReconcile;
        var context = Context(upstreamPort: 21000);

        await RunAsync(context);

        var run = _runner.Rendered.Single(c => c.StartsWith("docker run", StringComparison.Ordinal));
        Assert.Contains("--network slipway", run, StringComparison.Ordinal);
        var port = context.NewUpstreamPort!.Value;
        Assert.InRange(port, 20000, 31999);
        Assert.Contains($"-p 127.0.0.1:{port}:8080", run, StringComparison.Ordinal);
        Assert.Equal(SlipwayNetwork.Inspect.ToDisplayString(), _runner.Rendered.First(c => c.StartsWith("docker network", StringComparison.Ordinal)));
        // Checked where the proxy dials it, then switched with the old one listed behind it, drained, dropped.
        Assert.Contains(_prober.Probes, p => p.Address == "127.0.0.1" && p.Port == port);
        Assert.Equal(new (int?, int?)[] { (port, 21000), (port, null) }, _store.Upstreams);
        Assert.Equal(["reconcile 1", "in-flight 1 21000", "in-flight 1 21000", "in-flight 1 21000", "reconcile 1", "reconcile 1"], _proxy.Calls.Take(6));
        // The old container is stopped only after the switch (nothing of it before the first reconcile).
        Assert.DoesNotContain(_runner.Rendered.Take(commandsAtFirstReconcile), c => c.Contains(Old, StringComparison.Ordinal));
        Assert.Contains(_runner.Rendered, c => c.StartsWith("docker stop -t ", StringComparison.Ordinal) && c.EndsWith(Old, StringComparison.Ordinal));
        Assert.Equal($"docker rm -f {Old}", _runner.Rendered.Last());
        Assert.Contains(_log.Outputs, o => o.StartsWith("The old container has no request in flight", StringComparison.Ordinal));
        Assert.Equal(port, context.Application.ProxyUpstreamPort);
    }

    [Fact]
    public async Task SwitchRefused_OldKeepsServingAndTheNewIsRemoved()
    {
        _proxy.Outcome = ProxyReconcileOutcome.Failed;
        _proxy.Message = "Caddy refused the configuration (400).";
        var context = Context(upstreamPort: 21000);

        var error = await Assert.ThrowsAsync<DeploymentFailedException>(() => RunAsync(context));

        Assert.Contains("could not be switched", error.Message, StringComparison.Ordinal);
        Assert.Equal(new (int?, int?)[] { (context.NewUpstreamPort, 21000), (21000, null) }, _store.Upstreams);
        Assert.DoesNotContain(_runner.Rendered, c => c.Contains(Old, StringComparison.Ordinal));
        Assert.Equal($"docker rm -f {context.NewContainer}", _runner.Rendered.Last());
    }

    [Fact]
    public async Task NewContainerSilentWhereTheProxyDials_FailsBeforeTheSwitch()
    {
        _prober.LoopbackAnswers = false;
        var context = Context(upstreamPort: 21000);

        var error = await Assert.ThrowsAsync<DeploymentFailedException>(() => RunAsync(context));

        Assert.Contains("where the proxy would reach it", error.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Upstreams);
        Assert.DoesNotContain(_proxy.Calls, c => c.StartsWith("reconcile", StringComparison.Ordinal));
        Assert.DoesNotContain(_runner.Rendered, c => c.Contains(Old, StringComparison.Ordinal));
    }

    [Fact]
    public void HostNetworkOrMappings_KeepStopThenStart()
    {
        Assert.False(Context(upstreamPort: null, runOptions: "--network host").RollsOutBehindProxy);
        Assert.False(Context(upstreamPort: null, mappings: "8080:8080").RollsOutBehindProxy);
        Assert.True(Context(upstreamPort: null).RollsOutBehindProxy);
    }

    private DeploymentContext Context(int? upstreamPort, string? runOptions = null, string? mappings = null)
    {
        var app = new Application
        {
            Id = 1,
            Uuid = "appuuid0000000000000000",
            Name = "shop",
            BuildPack = BuildPack.DockerImage,
            DockerRegistryImageName = "slipway-test/busybox",
            DockerRegistryImageTag = "latest",
            PortsExposes = "8080",
            PortsMappings = mappings,
            CustomDockerRunOptions = runOptions,
            Fqdn = "http://shop.example.com",
            ProxyUpstreamPort = upstreamPort,
        };
        var server = new Server { Id = 1, Uuid = "srv", Name = "localhost", Ip = "127.0.0.1", IsLocalhost = true };
        server.Proxy.Type = ProxyTypes.Caddy;
        var work = new DeploymentWork(new Deployment { Id = 9, Uuid = "depuuid0000000000000000", ApplicationId = 1, Commit = "HEAD" }, app, server, [], DeployKey: null, null);
        var context = new DeploymentContext
        {
            Work = work,
            Target = new FakeExecutionTarget(_runner),
            Log = new DeploymentLogger(_log, 9),
            Store = _store,
            Clock = TimeProvider.System,
            Options = new EngineOptions { StartupGrace = TimeSpan.Zero, PollInterval = TimeSpan.FromMilliseconds(1) },
            Prober = _prober,
            Proxy = _proxy,
            OldContainers = Task.FromResult<IReadOnlyList<ContainerInfo>>([new ContainerInfo(Old, "running", "slipway-test/busybox:latest", "previous")]),
        };
        if (runOptions is not null && Slipway.Core.Validation.DockerRunOptions.TryParse(runOptions, out var options, out _))
        {
            context.RunOptions = options;
        }

        return context;
    }

    private static async Task RunAsync(DeploymentContext context)
    {
        IReadOnlyList<IDeploymentStep> steps =
            [new DeploymentPlanner(new InstanceSettings()).SettingsCheck(), .. await DeploymentPlanner.PlanAsync(context, TestContext.Current.CancellationToken)];
        Assert.Contains(steps, s => s is SwitchRouteStep);
        await DeploymentPipeline.RunAsync(context, steps, TestContext.Current.CancellationToken);
    }

    /// <summary>The container's own address answers 200; 127.0.0.1 (where the proxy dials) answers unless told not to.</summary>
    private sealed class AddressProber : IHttpProber
    {
        public List<HttpProbe> Probes { get; } = [];

        public bool LoopbackAnswers { get; set; } = true;

        public Task<HttpProbeResult> ProbeAsync(Server server, HttpProbe probe, CancellationToken cancellationToken)
        {
            Probes.Add(probe);
            return Task.FromResult(probe.Address == "127.0.0.1" && !LoopbackAnswers
                ? new HttpProbeResult(null, string.Empty, "connection refused")
                : new HttpProbeResult(200, "ok", null));
        }
    }
}
