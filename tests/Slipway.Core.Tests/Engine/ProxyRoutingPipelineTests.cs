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

/// <summary>A deployment on a server with a proxy: the real planner and steps, a scripted runner and a recording proxy.</summary>
public sealed class ProxyRoutingPipelineTests
{
    private const string Running = "{\"Status\":\"running\",\"Running\":true,\"Pid\":7,\"ExitCode\":0}\thost\t\tnull";

    private readonly FakeCommandRunner _runner = new();
    private readonly MemoryDeploymentLogStore _log = new();
    private readonly RecordingProxy _proxy = new();

    public ProxyRoutingPipelineTests() => _runner.When(Starts("docker", "inspect"), 0, Running);

    [Fact]
    public async Task ProxyOn_RoutesTheDomainsOnceTheOldContainerIsGone_AndLogsTheCertificates()
    {
        var context = Context(ProxyTypes.Caddy, "https://shop.example.com,http://shop.example.com:9000/api,https://www.shop.example.com");
        _proxy.Certificates.Add(new CertificateStatus("shop.example.com", CertificateStates.Valid, "CN=Pebble Intermediate CA", new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero), null));
        _proxy.Certificates.Add(new CertificateStatus("www.shop.example.com", CertificateStates.Pending, null, null, null));
        var commandsAtReconcile = -1;
        _proxy.OnReconcile = () => commandsAtReconcile = _runner.Commands.Count;

        await RunAsync(context);

        Assert.Equal(["reconcile 1", "certificates 1 shop.example.com,www.shop.example.com"], _proxy.Calls);
        // After the old container was removed: the last command of the run.
        Assert.Equal(_runner.Commands.Count, commandsAtReconcile);
        Assert.Equal("docker rm -f appuuid0000000000000000-old", _runner.Rendered.Last());
        Assert.Contains("-----> Routing domains through the proxy", _log.Outputs);
        Assert.Contains("Proxy: Configuration generation 4 pushed.", _log.Outputs);
        Assert.Contains("Certificate for shop.example.com: valid, issued by CN=Pebble Intermediate CA until 2027-03-01.", _log.Outputs);
        Assert.Contains(_log.Lines, l => l.Output.StartsWith("Certificate for www.shop.example.com: still being obtained;", StringComparison.Ordinal) && l.Type == LogLine.Stdout);
    }

    [Fact]
    public async Task ProxyOff_PlansNoRoutingStep()
    {
        var context = Context(ProxyTypes.None, "https://shop.example.com");

        var steps = await RunAsync(context);

        Assert.DoesNotContain(steps, s => s is RouteThroughProxyStep);
        Assert.Empty(_proxy.Calls);
    }

    [Fact]
    public async Task ProxyOnWithoutDomains_PlansNoRoutingStep()
    {
        var steps = await RunAsync(Context(ProxyTypes.Caddy, fqdn: null));

        Assert.DoesNotContain(steps, s => s is RouteThroughProxyStep);
        Assert.Empty(_proxy.Calls);
    }

    [Fact]
    public async Task ProxyCannotBeUpdated_LogsAnErrorAndTheDeploymentStands()
    {
        _proxy.Outcome = ProxyReconcileOutcome.Failed;
        _proxy.Message = "The proxy's admin API on 127.0.0.1:2019 did not answer within 30 s.";

        await RunAsync(Context(ProxyTypes.Caddy, "https://shop.example.com"));

        Assert.Equal(["reconcile 1"], _proxy.Calls);
        var error = Assert.Single(_log.Lines, l => l.Type == LogLine.Stderr);
        Assert.StartsWith("The proxy could not be updated: The proxy's admin API on 127.0.0.1:2019 did not answer within 30 s.", error.Output, StringComparison.Ordinal);
        Assert.Contains("/api/v1/servers/srv/proxy", error.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateCannotBeObtained_LogsCaddysReasonAsAnError()
    {
        _proxy.Certificates.Add(new CertificateStatus("shop.example.com", CertificateStates.Failed, null, null, "dial tcp 127.0.0.1:1: connect: connection refused"));

        await RunAsync(Context(ProxyTypes.Caddy, "https://shop.example.com", a => a.IsForceHttpsEnabled = false));

        var error = Assert.Single(_log.Lines, l => l.Type == LogLine.Stderr);
        Assert.Equal(
            "Certificate for shop.example.com could not be obtained: dial tcp 127.0.0.1:1: connect: connection refused (the application stays reachable over HTTP; Caddy keeps retrying).",
            error.Output);
    }

    [Fact]
    public async Task HttpsDomainTheProxyLeftOut_IsNamedAsNotServed()
    {
        await RunAsync(Context(ProxyTypes.Caddy, "https://shop.example.com"));

        var error = Assert.Single(_log.Lines, l => l.Type == LogLine.Stderr);
        Assert.StartsWith("shop.example.com is not served over HTTPS by the proxy", error.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Domains_PullRequest_AreThePreviewsNotTheApplications()
    {
        var context = Context(ProxyTypes.Caddy, "https://shop.example.com", pullRequestId: 7, preview: new PreviewTarget(41007, "https://7.shop.example.com", "refs/pull/7/head"));

        Assert.Equal(["https://7.shop.example.com"], RouteThroughProxyStep.Domains(context).Select(d => d.ToString()));
        Assert.True(RouteThroughProxyStep.Applies(context));
    }

    private DeploymentContext Context(string proxyType, string? fqdn, Action<Application>? configure = null, int pullRequestId = 0, PreviewTarget? preview = null)
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
            CustomDockerRunOptions = "--network host",
            Fqdn = fqdn,
        };
        configure?.Invoke(app);
        var server = new Server { Id = 1, Uuid = "srv", Name = "localhost", Ip = "127.0.0.1", IsLocalhost = true, AllowHostNetwork = true };
        server.Proxy.Type = proxyType;
        var work = new DeploymentWork(
            new Deployment { Id = 9, Uuid = "depuuid0000000000000000", ApplicationId = 1, Commit = "HEAD", PullRequestId = pullRequestId },
            app, server, [], DeployKey: null, preview);
        _runner.ListedContainers = [new ContainerInfo("appuuid0000000000000000-old", "running", "slipway-test/busybox:latest", "previous")];
        return new DeploymentContext
        {
            Work = work,
            Target = new FakeExecutionTarget(_runner),
            Log = new RunLogWriter(_log, 9),
            Store = new FakeEngineStore(),
            Clock = TimeProvider.System,
            Options = new EngineOptions { StartupGrace = TimeSpan.Zero, PollInterval = TimeSpan.FromMilliseconds(1) },
            Prober = new NoProber(),
            Proxy = _proxy,
        };
    }

    /// <summary>As the runner does: the settings check, the plan, the pipeline (which must succeed).</summary>
    private static async Task<IReadOnlyList<IDeploymentStep>> RunAsync(DeploymentContext context)
    {
        var steps = await Runbook.PlanAsync(context, TestContext.Current.CancellationToken);
        await DeploymentPipeline.RunAsync(context, steps, TestContext.Current.CancellationToken);
        return steps;
    }

    private sealed class NoProber : IHttpProber
    {
        public Task<HttpProbeResult> ProbeAsync(Server server, HttpProbe probe, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpProbeResult(null, string.Empty, "not used"));
    }
}
