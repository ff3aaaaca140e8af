using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Core.Execution;
using Slipway.Core.Servers;
using Slipway.Core.Tests.Fakes;
using static Slipway.Core.Tests.Fakes.FakeCommandRunner;

namespace Slipway.Core.Tests.Engine;

/// <summary>
/// Issue 14 (items 3 and 4) through the real planner and steps with a scripted runner: the command health check,
/// the runtime settings in the docker run command, a fixed container name's stop-then-start, and the engine's
/// re-check of stored values. The same through the real Docker engine: RuntimeSettingsTests (integration).
/// </summary>
public sealed class RuntimeSettingsPipelineTests
{
    private const string Running = "{\"Status\":\"running\",\"Running\":true,\"Pid\":7,\"ExitCode\":0}\tslipway\t172.18.0.5 \tnull";
    private const string Uuid = "appuuid0000000000000000";

    private readonly FakeCommandRunner _runner = new();
    private readonly MemoryDeploymentLogStore _log = new();

    /// <summary>Whether the test server's Docker has a default bridge network (these machines' has none).</summary>
    private bool _defaultBridge;

    private DeploymentContext Context(Action<Application>? configure = null, params ContainerInfo[] old)
    {
        var app = new Application
        {
            Id = 1,
            Uuid = Uuid,
            Name = "img",
            BuildPack = BuildPack.DockerImage,
            DockerRegistryImageName = "slipway-test/busybox",
            DockerRegistryImageTag = "latest",
            PortsExposes = "8080",
            HealthCheckStartPeriod = 0,
        };
        configure?.Invoke(app);
        var work = new DeploymentWork(
            new Deployment { Id = 9, Uuid = "depuuid0000000000000000", ApplicationId = 1, Commit = "HEAD" }, app, TestServers.Localhost(defaultBridge: _defaultBridge), [], DeployKey: null, Preview: null);
        _runner.ListedContainers = old;
        return new DeploymentContext
        {
            Work = work,
            Target = new FakeExecutionTarget(_runner),
            Log = new RunLogWriter(_log, 9),
            Store = new FakeEngineStore(),
            Clock = TimeProvider.System,
            Options = new EngineOptions { StartupGrace = TimeSpan.Zero, PollInterval = TimeSpan.FromMilliseconds(1) },
            Prober = new NoProber(),
            Proxy = new RecordingProxy(),
        };
    }

    private async Task RunAsync(DeploymentContext context)
    {
        _runner.When(Starts("docker", "inspect"), 0, Running).When(Starts("docker", "network", "inspect"), 0, "bridge");
        var steps = await Runbook.PlanAsync(context, TestContext.Current.CancellationToken);
        await DeploymentPipeline.RunAsync(context, steps, TestContext.Current.CancellationToken);
    }

    private CommandSpec Single(string verb) => _runner.Commands.Single(c => c.Program == "docker" && c.Arguments[0].Value == verb);

    private static List<string> Arguments(CommandSpec command) => [.. command.Arguments.Select(a => a.Value)];

    [Fact]
    public async Task RuntimeSettings_AreEachOneArgumentOfDockerRun_AndSlipwaysLabelsComeLast()
    {
        await RunAsync(Context(a =>
        {
            a.MaxRestartCount = 3;
            a.LimitsMemory = "64m";
            a.LimitsMemorySwap = "128m";
            a.LimitsMemorySwappiness = 10;
            a.LimitsMemoryReservation = "32m";
            a.LimitsCpuset = "0";
            a.LimitsCpuShares = 512;
            a.CustomLabels = "traefik.enable=true\nteam=web ops";
        }));

        var run = Single("run");
        var args = Arguments(run);
        Assert.Equal(["run", "-d", "--name"], args.Take(3));
        Assert.Equal("on-failure:3", args[args.IndexOf("--restart") + 1]);
        foreach (var (option, value) in new[] { ("--memory-swap", "128m"), ("--memory-reservation", "32m"), ("--memory-swappiness", "10"), ("--cpuset-cpus", "0"), ("--cpu-shares", "512") })
        {
            Assert.Equal(value, args[args.IndexOf(option) + 1]);
        }

        var labels = args.Select((a, i) => (a, i)).Where(x => x.a == "--label").Select(x => args[x.i + 1]).ToList();
        Assert.Equal(["traefik.enable=true", "team=web ops"], labels.Take(2));
        Assert.All(labels.Skip(2), l => Assert.StartsWith("slipway.", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DefaultSettings_RenderNoExtraOption_AndRestartUnlessStopped()
    {
        await RunAsync(Context());

        var args = Arguments(Single("run"));
        Assert.Equal("unless-stopped", args[args.IndexOf("--restart") + 1]);
        Assert.DoesNotContain(args, a => a is "--memory-swap" or "--memory-reservation" or "--memory-swappiness" or "--cpuset-cpus" or "--cpu-shares");
    }

    [Fact]
    public async Task CommandHealthCheck_RunsInTheNewContainerAsAnArgument_UntilItExitsZero()
    {
        var attempts = 0;
        _runner.When(Starts("docker", "exec"), _ => (Interlocked.Increment(ref attempts) < 2 ? 1 : 0, []));

        await RunAsync(Context(a => (a.HealthCheckEnabled, a.HealthCheckType, a.HealthCheckCommand, a.HealthCheckInterval) = (true, "cmd", "pg_isready -U postgres", 1)));

        var container = Arguments(Single("run"))[3];
        var exec = _runner.Commands.Where(c => c.Arguments[0].Value == "exec").ToList();
        Assert.Equal(2, exec.Count);
        Assert.Equal(["exec", container, "sh", "-c"], Arguments(exec[0]).Take(4));
        Assert.Equal(["sh", "5", "pg_isready -U postgres"], Arguments(exec[0]).TakeLast(3));
        Assert.Contains(_log.Outputs, o => o.StartsWith("Attempt 2 of 10 | Healthcheck status: \"healthy\" | command in " + container, StringComparison.Ordinal));
        Assert.Contains("New container is healthy.", _log.Outputs);
    }

    [Fact]
    public async Task CommandHealthCheckThatNeverPasses_FailsTheRun_RemovesTheNewContainer_AndKeepsTheOld()
    {
        _runner.When(Starts("docker", "exec"), 1);
        var context = Context(a => (a.HealthCheckEnabled, a.HealthCheckType, a.HealthCheckCommand, a.HealthCheckRetries, a.HealthCheckInterval) = (true, "cmd", "false", 2, 1),
            new ContainerInfo("appuuid-old", "running", "slipway-test/busybox:latest", "previous"));

        var failure = await Assert.ThrowsAsync<DeploymentFailedException>(() => RunAsync(context));

        Assert.Contains("2 attempt(s) of the health_check_command failed; last: exit code 1", failure.Message, StringComparison.Ordinal);
        var created = Arguments(Single("run"))[3];
        Assert.Contains($"docker rm -f {created}", _runner.Rendered);
        Assert.DoesNotContain(_runner.Rendered, r => r.Contains("appuuid-old", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FixedName_StopsAndRenamesTheOldContainerFirst_SaysSoInOneLine_AndRetiresItAfterwards()
    {
        await RunAsync(Context(a => a.CustomInternalName = "api", new ContainerInfo("api", "running", "slipway-test/busybox:latest", "previous")));

        var rendered = _runner.Rendered.ToList();
        var stop = rendered.IndexOf("docker stop -t 30 api");
        var rename = rendered.IndexOf("docker rename api api-replaced-depuuid0000000000000000");
        var run = rendered.FindIndex(r => r.StartsWith("docker run -d --name api ", StringComparison.Ordinal));
        var remove = rendered.IndexOf("docker rm -f api-replaced-depuuid0000000000000000");
        Assert.True(stop >= 0 && stop < rename && rename < run && run < remove, string.Join("\n", rendered));
        Assert.Single(_log.Outputs, o => o.StartsWith("The container has a fixed name (api, from custom_internal_name): old and new cannot run side by side", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConsistentName_WhenTheNewContainerFails_GivesTheNameBackAndStartsTheOldOne()
    {
        _runner.When(Starts("docker", "exec"), 1);
        var context = Context(a => (a.IsConsistentContainerNameEnabled, a.HealthCheckEnabled, a.HealthCheckType, a.HealthCheckCommand, a.HealthCheckRetries) = (true, true, "cmd", "false", 1),
            new ContainerInfo(Uuid, "running", "slipway-test/busybox:latest", "previous"));

        await Assert.ThrowsAsync<DeploymentFailedException>(() => RunAsync(context));

        var rendered = _runner.Rendered.ToList();
        var removeNew = rendered.IndexOf($"docker rm -f {Uuid}");
        var renameBack = rendered.IndexOf($"docker rename {Uuid}-replaced-depuuid0000000000000000 {Uuid}");
        var start = rendered.IndexOf($"docker start {Uuid}");
        Assert.True(removeNew >= 0 && removeNew < renameBack && renameBack < start, string.Join("\n", rendered));
        Assert.Contains(_log.Outputs, o => o.StartsWith($"Started the previous container {Uuid} again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnectToDockerNetwork_OnTheBridgeNetwork_AlsoConnectsTheSlipwayNetwork()
    {
        // --network bridge needs an engine with a default bridge (CheckServer refuses it where the probe found none).
        _defaultBridge = true;
        await RunAsync(Context(a => (a.ConnectToDockerNetwork, a.CustomDockerRunOptions) = (true, "--network bridge")));

        var container = Arguments(Single("run"))[3];
        Assert.Contains($"docker network connect slipway {container}", _runner.Rendered);
    }

    [Theory]
    [InlineData("label", "a=b\nslipway.managed=false")]
    [InlineData("label", "--privileged")]
    [InlineData("name", "x; docker run --privileged")]
    [InlineData("name", "slipway-proxy")]
    [InlineData("command", "curl localhost | sh")]
    [InlineData("command", "echo ok\nrm -rf /")]
    [InlineData("cpuset", "0-1; id")]
    [InlineData("swap", "1g")]
    public async Task StoredHostileOrInconsistentValue_FailsTheSettingsCheckBeforeAnyCommand(string field, string value)
    {
        var context = Context(a =>
        {
            if (field == "label")
            {
                a.CustomLabels = value;
            }
            else if (field == "name")
            {
                a.CustomInternalName = value;
            }
            else if (field == "command")
            {
                (a.HealthCheckType, a.HealthCheckCommand) = ("cmd", value);
            }
            else if (field == "cpuset")
            {
                a.LimitsCpuset = value;
            }
            else
            {
                a.LimitsMemorySwap = value;
            }
        });

        await Assert.ThrowsAsync<DeploymentFailedException>(() => RunAsync(context));

        Assert.Empty(_runner.Commands);
    }

    private sealed class NoProber : IHttpProber
    {
        public Task<HttpProbeResult> ProbeAsync(Server server, HttpProbe probe, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("No HTTP check is configured in these tests.");
    }
}
