using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Core.Execution;
using Slipway.Core.Servers;
using Slipway.Core.Tests.Fakes;
using static Slipway.Core.Tests.Fakes.FakeCommandRunner;

namespace Slipway.Core.Tests.Engine;

/// <summary>
/// Issue 14 item 1 through the real planner and steps with a scripted runner: where the pre- and post-deployment
/// commands run, as which arguments, and what their failure does. Through the real Docker engine: ReleaseCommandTests.
/// </summary>
public sealed class ReleaseCommandPipelineTests
{
    private const string Running = "{\"Status\":\"running\",\"Running\":true,\"Pid\":7,\"ExitCode\":0}\tslipway\t172.18.0.5 \tnull";

    private readonly FakeCommandRunner _runner = new();
    private readonly MemoryDeploymentLogStore _log = new();

    private DeploymentContext Context(Action<Application> configure, params ContainerInfo[] old)
    {
        var app = new Application
        {
            Id = 1,
            Uuid = "appuuid0000000000000000",
            Name = "img",
            BuildPack = BuildPack.DockerImage,
            DockerRegistryImageName = "slipway-test/busybox",
            DockerRegistryImageTag = "latest",
            PortsExposes = "8080",
            HealthCheckStartPeriod = 0,
        };
        configure(app);
        var work = new DeploymentWork(
            new Deployment { Id = 9, Uuid = "depuuid0000000000000000", ApplicationId = 1, Commit = "HEAD" }, app, TestServers.Localhost(), [], DeployKey: null, Preview: null);
        _runner.ListedContainers = old;
        return new DeploymentContext
        {
            Work = work,
            Target = new FakeExecutionTarget(_runner),
            Log = new RunLogWriter(_log, 9),
            Store = new FakeEngineStore(),
            Clock = TimeProvider.System,
            Options = new EngineOptions { StartupGrace = TimeSpan.Zero, PollInterval = TimeSpan.FromMilliseconds(1), ReleaseCommandTimeout = TimeSpan.FromSeconds(90) },
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

    private static List<string> Arguments(CommandSpec command) => [.. command.Arguments.Select(a => a.Value)];

    private List<string> Rendered => [.. _runner.Rendered];

    [Fact]
    public async Task PreCommand_RunsInTheNewContainerAsOneArgument_AfterItStartsAndBeforeTheHealthCheckAndRetire()
    {
        await RunAsync(Context(a => a.PreDeploymentCommand = "php artisan migrate --force && echo \"$DB\" | tee /tmp/x",
            new ContainerInfo("appuuid-old", "running", "slipway-test/busybox:latest", "previous")));

        var container = Arguments(_runner.Commands.Single(c => c.Arguments[0].Value == "run"))[3];
        var exec = _runner.Commands.Single(c => c.Arguments[0].Value == "exec");
        Assert.Equal(["exec", "-e", "SLIPWAY_RELEASE=depuuid0000000000000000-pre", container, "sh", "-c"], Arguments(exec).Take(6));
        Assert.Equal(["sh", "90", "php artisan migrate --force && echo \"$DB\" | tee /tmp/x"], Arguments(exec).TakeLast(3));
        var rendered = Rendered;
        var run = rendered.FindIndex(r => r.StartsWith("docker run ", StringComparison.Ordinal));
        var pre = rendered.FindIndex(r => r.StartsWith("docker exec ", StringComparison.Ordinal));
        var retire = rendered.IndexOf("docker rm -f appuuid-old");
        Assert.True(run < pre && pre < retire, string.Join("\n", rendered));
        Assert.True(_log.Outputs.ToList().IndexOf("-----> Running the pre-deployment command") < _log.Outputs.ToList().IndexOf("-----> Checking health"));
    }

    [Fact]
    public async Task PreCommandThatFails_FailsTheRun_RemovesTheNewContainer_AndLeavesTheOldOne()
    {
        _runner.When(Starts("docker", "exec"), 4, "migration failed");
        var context = Context(a => a.PreDeploymentCommand = "./migrate", new ContainerInfo("appuuid-old", "running", "slipway-test/busybox:latest", "previous"));

        var failure = await Assert.ThrowsAsync<DeploymentFailedException>(() => RunAsync(context));

        Assert.Equal("The pre-deployment command failed (exit code 4); the old container keeps serving.", failure.Message);
        var created = Arguments(_runner.Commands.Single(c => c.Arguments[0].Value == "run"))[3];
        Assert.Contains($"docker rm -f {created}", Rendered);
        Assert.DoesNotContain(Rendered, r => r.Contains("appuuid-old", StringComparison.Ordinal));
        Assert.Contains("migration failed", _log.Outputs);
    }

    [Fact]
    public async Task PostCommandThatFails_IsLoggedAndTheRunSucceeds_AfterTheOldContainerIsRetired()
    {
        _runner.When(Starts("docker", "exec"), 1);

        await RunAsync(Context(a => (a.PostDeploymentCommand, a.PostDeploymentCommandContainer) = ("./notify", "web"),
            new ContainerInfo("appuuid-old", "running", "slipway-test/busybox:latest", "previous")));

        var rendered = Rendered;
        Assert.True(rendered.IndexOf("docker rm -f appuuid-old") < rendered.FindIndex(r => r.StartsWith("docker exec -e SLIPWAY_RELEASE=depuuid0000000000000000-post ", StringComparison.Ordinal)),
            string.Join("\n", rendered));
        Assert.Contains("Post-deployment command failed (exit code 1); the deployment stays finished, the new container keeps serving.", _log.Outputs);
        Assert.Contains(_log.Outputs, o => o.StartsWith("The post_deployment_command_container (\"web\") names a Docker Compose service", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PreCommandKilledByTheContainersTimeout_SaysSo()
    {
        _runner.When(Starts("docker", "exec"), 137);

        var failure = await Assert.ThrowsAsync<DeploymentFailedException>(() => RunAsync(Context(a => a.PreDeploymentCommand = "sleep 600")));

        Assert.Equal("The pre-deployment command failed (it was killed after 90s (exit code 137; the release command timeout)); the old container keeps serving.", failure.Message);
    }

    [Theory]
    [InlineData("pre", "echo ok\ntouch /tmp/x")]
    [InlineData("pre", "true\u0000touch /tmp/x")]
    [InlineData("post", "echo \u001b]0;x\u0007")]
    [InlineData("post", " ")]
    [InlineData("pre-container", "web; touch /tmp/x")]
    [InlineData("post-container", "--privileged")]
    public async Task StoredHostileValue_FailsTheSettingsCheckBeforeAnyCommand(string field, string value)
    {
        var context = Context(a =>
        {
            switch (field)
            {
                case "pre": a.PreDeploymentCommand = value; break;
                case "post": a.PostDeploymentCommand = value; break;
                case "pre-container": (a.PreDeploymentCommand, a.PreDeploymentCommandContainer) = ("true", value); break;
                default: (a.PostDeploymentCommand, a.PostDeploymentCommandContainer) = ("true", value); break;
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
