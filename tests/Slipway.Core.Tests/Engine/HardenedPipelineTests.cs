using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Core.Execution;
using Slipway.Core.Servers;
using Slipway.Core.Tests.Fakes;
using static Slipway.Core.Tests.Fakes.FakeCommandRunner;

namespace Slipway.Core.Tests.Engine;

/// <summary>
/// Issue 10 through the real planner and steps with a scripted runner: the slipway network, the run-option and
/// build-variable rules re-checked by the engine, previews' variables and build network, and the Docker probe.
/// The same behaviour through the real Docker engine is in the integration tests.
/// </summary>
public sealed class HardenedPipelineTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";
    private const string Running = "{\"Status\":\"running\",\"Running\":true,\"Pid\":7,\"ExitCode\":0}\tslipway\t172.18.0.5 \tnull";
    private const string Src = "/work/depuuid0000000000000000/src";

    private readonly FakeCommandRunner _runner = new();
    private readonly MemoryDeploymentLogStore _log = new();
    private readonly FakeEngineStore _store = new();

    private DeploymentContext Context(
        Server server, int pullRequest = 0, Action<Application>? configure = null, IReadOnlyList<string>? lockedLeftOut = null, params ResolvedVariable[] variables)
    {
        var app = new Application
        {
            Id = 1,
            Uuid = "appuuid0000000000000000",
            Name = "site",
            GitRepository = "https://example.com/site.git",
            GitBranch = "main",
            BuildPack = BuildPack.Static,
            StaticImage = "slipway-test/busybox",
            StaticServer = StaticServer.BusyboxHttpd,
            PortsExposes = "8080",
            PortsMappings = "127.0.0.1:18080:8080",
            HealthCheckEnabled = true,
            HealthCheckStartPeriod = 0,
        };
        configure?.Invoke(app);
        var work = new DeploymentWork(
            new Deployment { Id = 9, Uuid = "depuuid0000000000000000", ApplicationId = 1, Commit = "HEAD", PullRequestId = pullRequest },
            app,
            server,
            variables,
            DeployKey: null,
            pullRequest == 0 ? null : new PreviewTarget(20007, null, "refs/pull/7/head"))
        {
            LockedLeftOut = lockedLeftOut ?? [],
        };
        return new DeploymentContext
        {
            Work = work,
            Target = new FakeExecutionTarget(_runner),
            Log = new RunLogWriter(_log, 9),
            Store = _store,
            Clock = TimeProvider.System,
            Options = new EngineOptions { StartupGrace = TimeSpan.Zero, PollInterval = TimeSpan.FromMilliseconds(1) },
            Prober = new OkProber(),
            Proxy = new RecordingProxy(),
        };
    }

    private void ScriptDeployment(string reference = "refs/heads/main") => _runner
        .When(Starts("git", "ls-remote"), 0, $"{Sha}\t{reference}")
        .When(Starts("git", "-C", Src, "rev-parse"), 0, Sha)
        .When(Starts("docker", "image", "inspect"), 1)
        .When(Starts("docker", "inspect"), 0, Running);

    private async Task RunAsync(DeploymentContext context)
    {
        var steps = await Runbook.PlanAsync(context, TestContext.Current.CancellationToken);
        await DeploymentPipeline.RunAsync(context, steps, TestContext.Current.CancellationToken);
    }

    /// <summary>The one docker command (by any client path) with that verb, leaving out the probe's build from standard input.</summary>
    private CommandSpec Single(string verb) =>
        _runner.Commands.Single(c => c.Program.EndsWith("docker", StringComparison.Ordinal) && c.Arguments[0].Value == verb && c.StandardInput is null);

    [Fact]
    public async Task WithoutHostNetwork_CreatesTheSlipwayNetworkOnce_JoinsItAndPublishesTheMappings()
    {
        ScriptDeployment();
        var inspections = 0;
        _runner.When(Starts("docker", "network", "inspect"), _ => Interlocked.Increment(ref inspections) == 1 ? (1, []) : (0, ["bridge"]));

        await RunAsync(Context(TestServers.Localhost()));

        Assert.Contains("docker network create --driver bridge --label slipway.managed=true slipway", _runner.Rendered);
        var run = Single("run").ToDisplayString();
        Assert.Contains(" -p 127.0.0.1:18080:8080 ", run, StringComparison.Ordinal);
        Assert.Contains(" --network slipway ", run, StringComparison.Ordinal);
        Assert.Contains(_log.Outputs, o => o.StartsWith("Created the 'slipway' network", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NetworkNamedSlipwayThatIsNotABridge_FailsBeforeTheContainerStarts()
    {
        ScriptDeployment();
        _runner.When(Starts("docker", "network", "inspect"), 0, "host");

        var failure = await Assert.ThrowsAsync<DeploymentFailedException>(() => RunAsync(Context(TestServers.Localhost())));

        Assert.Contains("needs a bridge network", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_runner.Commands, c => c.Arguments[0].Value == "run");
    }

    [Fact]
    public async Task BuildOnAServerWithoutHostNetworkOrDefaultBridge_UsesBuildKitOnNetworkNone_AndSaysSo()
    {
        ScriptDeployment();
        _runner.When(Starts("docker", "network", "inspect"), 0, "bridge");

        await RunAsync(Context(TestServers.Localhost()));

        var build = Single("build");
        Assert.Equal(TestServers.DockerClient, build.Program);
        Assert.Equal(["build", "--network", "none", "--progress", "plain"], build.Arguments.Take(5).Select(a => a.Value));
        Assert.Equal("1", build.Environment!["DOCKER_BUILDKIT"]);
        Assert.Contains("Builder: BuildKit (/usr/bin/docker). Build network: none (the server does not allow host networking and the engine has no default bridge network).", _log.Outputs);
    }

    [Fact]
    public async Task HostNetworkOnAServerThatDoesNotAllowIt_FailsTheSettingsCheckBeforeAnyCommand()
    {
        var context = Context(TestServers.Localhost(allowHostNetwork: false), configure: a => a.CustomDockerRunOptions = "--network host");

        await Assert.ThrowsAsync<DeploymentFailedException>(() => RunAsync(context));

        Assert.Empty(_runner.Commands);
        Assert.Contains(_log.Outputs, o => o.Contains("--network host needs a server with allow_host_network", StringComparison.Ordinal) && o.Contains("Server localhost does not allow it.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--cap-add SYS_ADMIN")]
    [InlineData("--cap-add=ALL")]
    [InlineData("--privileged")]
    [InlineData("--security-opt seccomp=unconfined")]
    public async Task StoredRunOptionThatReachesTheHost_FailsTheSettingsCheckBeforeAnyCommand(string options)
    {
        var context = Context(TestServers.Localhost(allowHostNetwork: true), configure: a => a.CustomDockerRunOptions = options);

        await Assert.ThrowsAsync<DeploymentFailedException>(() => RunAsync(context));

        Assert.Empty(_runner.Commands);
        Assert.Contains(_log.Outputs, o => o.Contains("docker run option", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("PATH")]
    [InlineData("LD_PRELOAD")]
    [InlineData("DOCKER_HOST")]
    [InlineData("GIT_SSH_COMMAND")]
    public async Task StoredBuildTimeVariableTheDockerClientReads_FailsTheSettingsCheckBeforeAnyCommand(string name)
    {
        var context = Context(TestServers.Localhost(), variables: new ResolvedVariable(name, "/tmp/evil", IsBuildtime: true, IsRuntime: false, IsSecret: false));

        await Assert.ThrowsAsync<DeploymentFailedException>(() => RunAsync(context));

        Assert.Empty(_runner.Commands);
        Assert.Contains(_log.Outputs, o => o.StartsWith($"The name {name} cannot be a build-time variable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RuntimeOnlyVariableNamedPath_IsFine()
    {
        ScriptDeployment();
        _runner.When(Starts("docker", "network", "inspect"), 0, "bridge");

        await RunAsync(Context(TestServers.Localhost(), variables: new ResolvedVariable("PATH", "/app/bin:/usr/bin:/bin", IsBuildtime: false, IsRuntime: true, IsSecret: false)));

        Assert.DoesNotContain("PATH", Single("build").Environment!.Keys);
    }

    [Fact]
    public async Task PreviewOfferedAProductionVariable_FailsTheSettingsCheckBeforeAnyCommand()
    {
        var context = Context(TestServers.Localhost(), pullRequest: 7,
            variables: new ResolvedVariable("DATABASE_URL", "postgres://prod", IsBuildtime: false, IsRuntime: true, IsSecret: true, IsPreview: false));

        await Assert.ThrowsAsync<DeploymentFailedException>(() => RunAsync(context));

        Assert.Empty(_runner.Commands);
        Assert.Contains(_log.Outputs, o => o.Contains("previews get only is_preview variables", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PreviewOfferedALockedPreviewVariable_FailsTheSettingsCheckBeforeAnyCommand()
    {
        var context = Context(TestServers.Localhost(), pullRequest: 7,
            variables: new ResolvedVariable("API_TOKEN", "locked", IsBuildtime: true, IsRuntime: true, IsSecret: true, IsPreview: true));

        await Assert.ThrowsAsync<DeploymentFailedException>(() => RunAsync(context));

        Assert.Empty(_runner.Commands);
        Assert.Contains("The locked variable \"API_TOKEN\" was offered to a preview; previews never get locked values.", _log.Outputs);
    }

    [Fact]
    public async Task PreviewWhoseLockedVariablesWereLeftOut_SaysSoAndDeploys()
    {
        ScriptDeployment("refs/pull/7/head");
        _runner.When(Starts("docker", "network", "inspect"), 0, "bridge");
        var context = Context(TestServers.Localhost(), pullRequest: 7, lockedLeftOut: ["STRIPE_KEY", "API_TOKEN"],
            variables: new ResolvedVariable("GREETING", "hello", IsBuildtime: true, IsRuntime: true, IsSecret: false, IsPreview: true));

        await RunAsync(context);

        Assert.Contains("Locked variables are never given to previews; left out: API_TOKEN, STRIPE_KEY.", _log.Outputs);
        Assert.Equal(["GREETING"], Single("build").Environment!.Keys.Where(k => k != "DOCKER_BUILDKIT"));
    }

    [Theory]
    [InlineData("docker")]
    [InlineData("/usr/bin/docker; id")]
    [InlineData("/usr/bin/docker --config /tmp")]
    [InlineData("/tmp/$(id)")]
    public async Task RecordedDockerClientThatIsNotAPlainAbsolutePath_FailsTheSettingsCheckBeforeAnyCommand(string client)
    {
        var server = TestServers.Localhost();
        server.DockerClientPath = client;

        await Assert.ThrowsAsync<DeploymentFailedException>(() => RunAsync(Context(server)));

        Assert.Empty(_runner.Commands);
        Assert.Contains(_log.Outputs, o => o.StartsWith("The docker client recorded for server localhost (", StringComparison.Ordinal) && o.Contains("is not a plain absolute path", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PreviewOnAServerThatAllowsHostNetwork_StillBuildsWithoutIt_AndPublishesItsOwnPort()
    {
        ScriptDeployment("refs/pull/7/head");
        _runner.When(Starts("docker", "network", "inspect"), 0, "bridge");

        await RunAsync(Context(TestServers.Localhost(allowHostNetwork: true, defaultBridge: true), pullRequest: 7));

        var build = Single("build");
        Assert.DoesNotContain("--network", build.Arguments.Select(a => a.Value));
        Assert.Contains(_log.Outputs, o => o.Contains("Build network: Docker's default (a preview never builds on the host network)", StringComparison.Ordinal));
        var run = Single("run").ToDisplayString();
        Assert.Contains(" -p 127.0.0.1:20007:8080 ", run, StringComparison.Ordinal);
        Assert.DoesNotContain("18080", run, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstBuildOnAServer_ProbesItsClientsOnce_PrefersTheOneWithBuildKit_AndRecordsIt()
    {
        ScriptDeployment();
        _runner.When(Starts("sh", "-c"), 0, "/usr/local/bin/docker")
            .When(c => c.Arguments.Count > 0 && c.Arguments[0].Value == "buildx", 1)
            .When(c => c.Program == "/usr/local/bin/docker" && c.Arguments[0].Value == "build" && c.StandardInput is not null, 1, "ERROR: BuildKit is enabled but the buildx component is missing or broken.")
            .When(c => c.Program == "/usr/bin/docker" && c.Arguments[0].Value == "network" && c.Arguments[^1].Value == "bridge", 1)
            .When(Starts("docker", "network", "inspect"), 0, "bridge");
        var server = TestServers.Localhost(probed: false);

        await RunAsync(Context(server));

        Assert.Equal(("/usr/bin/docker", true, false), (_store.DockerProbe!.ClientPath, _store.DockerProbe.BuildKit, _store.DockerProbe.DefaultBridge));
        Assert.Equal(_store.DockerProbe, server.GetDockerProbe());
        Assert.Equal("/usr/bin/docker", Single("build").Program);
        Assert.Contains(_log.Outputs, o => o.StartsWith("Probed Docker on fake: builds use BuildKit (/usr/bin/docker)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeThatFindsNoBuildKit_BuildsWithTheLegacyBuilderOfTheFirstClient()
    {
        ScriptDeployment();
        _runner.When(Starts("sh", "-c"), 0, "/usr/local/bin/docker")
            .When(c => c.Arguments.Count > 0 && c.Arguments[0].Value is "buildx", 1)
            .When(c => c.Arguments.Count > 0 && c.Arguments[0].Value == "build" && c.StandardInput is not null, 1)
            .When(c => c.Program == "/usr/local/bin/docker" && c.Arguments[0].Value == "network" && c.Arguments[^1].Value == "bridge", 1)
            .When(Starts("docker", "network", "inspect"), 0, "bridge");

        await RunAsync(Context(TestServers.Localhost(probed: false)));

        var build = Single("build");
        Assert.Equal(("/usr/local/bin/docker", "0"), (build.Program, build.Environment!["DOCKER_BUILDKIT"]));
        Assert.Contains("--force-rm", build.Arguments.Select(a => a.Value));
        Assert.Contains(_log.Outputs, o => o.StartsWith("Builder: the legacy builder (/usr/local/bin/docker; no BuildKit found).", StringComparison.Ordinal));
    }

    private sealed class OkProber : IHttpProber
    {
        public Task<HttpProbeResult> ProbeAsync(Server server, HttpProbe probe, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpProbeResult(200, "ok", null));
    }
}
