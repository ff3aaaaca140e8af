using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Core.Engine.Steps;
using Slipway.Core.Execution;
using Slipway.Core.Proxy;
using Slipway.Core.Servers;
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
    private const string App = "appuuid0000000000000000";
    private const string Old = App + "-old";

    private readonly FakeCommandRunner _runner = new();
    private readonly MemoryDeploymentLogStore _log = new();
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
    public async Task CancelledWhileDraining_RoutesBackToTheOldAndRemovesTheNew()
    {
        // After the switch, before the old container is retired: the run is cancelled while the old one drains.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        _proxy.InFlight.Clear();
        _proxy.InFlight.Enqueue(3);
        _proxy.OnInFlight = cancel.Cancel;
        var context = Context(upstreamPort: 21000);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(context, cancel.Token));

        var port = context.NewUpstreamPort!.Value;
        // Switched with the old one behind, then straight back to the old one alone.
        Assert.Equal(new (int?, int?)[] { (port, 21000), (21000, null) }, _store.Upstreams);
        Assert.Equal("reconcile 1", _proxy.Calls.Last());
        Assert.Equal(21000, context.Application.ProxyUpstreamPort);
        Assert.Contains(_log.Outputs, o => o == "Routed the proxy back to the previous container (127.0.0.1:21000).");
        Assert.DoesNotContain(_runner.Rendered, c => c.Contains(Old, StringComparison.Ordinal));
        Assert.Equal($"docker rm -f {context.NewContainer}", _runner.Rendered.Last());
    }

    [Fact]
    public async Task CancelledAfterTheOldWasRetired_KeepsTheNewContainerAndItsRoute()
    {
        // The certificate wait of the last step is cancelled: the old container is gone already, so undoing the run
        // would leave nothing serving.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var reconciles = 0;
        _proxy.OnReconcile = () =>
        {
            if (++reconciles == 3)
            {
                cancel.Cancel();
            }
        };
        var context = Context(upstreamPort: 21000, fqdn: "https://shop.example.com");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(context, cancel.Token));

        var port = context.NewUpstreamPort!.Value;
        Assert.Equal(new (int?, int?)[] { (port, 21000), (port, null) }, _store.Upstreams);
        Assert.Equal(3, reconciles);
        Assert.Equal(port, context.Application.ProxyUpstreamPort);
        Assert.Equal($"docker rm -f {Old}", _runner.Rendered.Last());
        Assert.DoesNotContain(_runner.Rendered, c => c == $"docker rm -f {context.NewContainer}");
        Assert.Contains(_log.Outputs, o => o.Contains("keeps serving: the previous one was already retired", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "8080:8080", "published ports (8080:8080)")]
    [InlineData("--network host", null, "host networking")]
    public async Task HostNetworkOrMappingsBehindTheProxy_StopThenStartAndSayWhyInOneLine(string? runOptions, string? mappings, string why)
    {
        var context = Context(upstreamPort: null, runOptions: runOptions, mappings: mappings);
        context.Server.AllowHostNetwork = true;

        await RunAsync(context, TestContext.Current.CancellationToken, rollsOut: false);

        var line = Assert.Single(_log.Outputs, o => o.Contains("stopped first", StringComparison.Ordinal));
        Assert.Contains(why, line, StringComparison.Ordinal);
        Assert.Contains("no zero-downtime rollout", line, StringComparison.Ordinal);
        var stop = _runner.Commands.FindIndex(c => c.ToDisplayString().StartsWith("docker stop", StringComparison.Ordinal));
        var run = _runner.Commands.FindIndex(c => c.ToDisplayString().StartsWith("docker run", StringComparison.Ordinal));
        Assert.InRange(stop, 0, run - 1);
        Assert.DoesNotContain(_proxy.Calls, c => c.StartsWith("in-flight", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PreviewWithADomain_RollsOutBesideItsOldContainerUnderANameOfItsOwn()
    {
        var oldPreview = $"{App}-pr-7";
        var context = Context(upstreamPort: 21000, pullRequest: 7, preview: new PreviewTarget(40007, "http://7.shop.example.com", "refs/pull/7/head", UpstreamPort: 22000));
        _runner.ListedContainers = [new ContainerInfo(oldPreview, "running", $"{App}-pr-7:old", "previous")];
        var commandsAtFirstReconcile = -1;
        _proxy.OnReconcile = () => commandsAtFirstReconcile = commandsAtFirstReconcile < 0 ? _runner.Commands.Count : commandsAtFirstReconcile;

        await RunAsync(context);

        var port = context.NewUpstreamPort!.Value;
        Assert.StartsWith($"{App}-pr-7-", context.NewContainer, StringComparison.Ordinal);
        var run = _runner.Rendered.Single(c => c.StartsWith("docker run", StringComparison.Ordinal));
        Assert.Contains($"-p 127.0.0.1:{port}:8080", run, StringComparison.Ordinal);
        Assert.DoesNotContain("40007", run, StringComparison.Ordinal);
        // The preview's route, not production's: switched with its old container behind it, then alone.
        Assert.Equal(new (int?, int?)[] { (port, 22000), (port, null) }, _store.Upstreams);
        Assert.Equal([7, 7], _store.UpstreamPullRequests);
        Assert.Equal(21000, context.Application.ProxyUpstreamPort);
        Assert.Equal(port, context.RoutedPort);
        // The old preview container is stopped and removed only after the switch.
        Assert.DoesNotContain(_runner.Rendered.Take(commandsAtFirstReconcile), c => c.EndsWith(" " + oldPreview, StringComparison.Ordinal));
        Assert.Contains(_runner.Rendered, c => c.StartsWith("docker stop -t ", StringComparison.Ordinal) && c.EndsWith(" " + oldPreview, StringComparison.Ordinal));
        Assert.Equal($"docker rm -f {oldPreview}", _runner.Rendered.Last());
    }

    [Fact]
    public void HostNetworkOrMappings_KeepStopThenStart()
    {
        Assert.False(Context(upstreamPort: null, runOptions: "--network host").RollsOutBehindProxy);
        Assert.False(Context(upstreamPort: null, mappings: "8080:8080").RollsOutBehindProxy);
        Assert.True(Context(upstreamPort: null).RollsOutBehindProxy);
    }

    private DeploymentContext Context(
        int? upstreamPort, string? runOptions = null, string? mappings = null, string fqdn = "http://shop.example.com", int pullRequest = 0, PreviewTarget? preview = null)
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
            Fqdn = fqdn,
            ProxyUpstreamPort = upstreamPort,
        };
        var server = new Server { Id = 1, Uuid = "srv", Name = "localhost", Ip = "127.0.0.1", IsLocalhost = true };
        server.Proxy.Type = ProxyTypes.Caddy;
        var work = new DeploymentWork(
            new Deployment { Id = 9, Uuid = "depuuid0000000000000000", ApplicationId = 1, Commit = "HEAD", PullRequestId = pullRequest }, app, server, [], DeployKey: null, preview);
        _runner.ListedContainers = [new ContainerInfo(Old, "running", "slipway-test/busybox:latest", "previous")];
        var context = new DeploymentContext
        {
            Work = work,
            Target = new FakeExecutionTarget(_runner),
            Log = new RunLogWriter(_log, 9),
            Store = _store,
            Clock = TimeProvider.System,
            Options = new EngineOptions { StartupGrace = TimeSpan.Zero, PollInterval = TimeSpan.FromMilliseconds(1) },
            Prober = _prober,
            Proxy = _proxy,
        };
        if (runOptions is not null && Slipway.Core.Validation.DockerRunOptions.TryParse(runOptions, out var options, out _))
        {
            context.RunOptions = options;
        }

        return context;
    }

    private static Task RunAsync(DeploymentContext context) => RunAsync(context, TestContext.Current.CancellationToken);

    private static async Task RunAsync(DeploymentContext context, CancellationToken cancellationToken, bool rollsOut = true)
    {
        var steps = await Runbook.PlanAsync(context, TestContext.Current.CancellationToken);
        Assert.Equal(rollsOut, steps.Any(s => s is SwitchRouteStep));
        await DeploymentPipeline.RunAsync(context, steps, cancellationToken);
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
