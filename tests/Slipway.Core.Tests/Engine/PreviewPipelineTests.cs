using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Core.Execution;
using Slipway.Core.Servers;
using Slipway.Core.Tests.Fakes;
using static Slipway.Core.Tests.Fakes.FakeCommandRunner;

namespace Slipway.Core.Tests.Engine;

/// <summary>A pull request preview through the real planner and steps, with a scripted runner.</summary>
public sealed class PreviewPipelineTests
{
    private const string App = "appuuid0000000000000000";
    private const string BranchHead = "0123456789abcdef0123456789abcdef01234567";
    private const string PrHead = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    private const string Running = "{\"Status\":\"running\",\"Running\":true,\"Pid\":7,\"ExitCode\":0}\thost\t\tnull";
    private const string Src = "/work/depuuid0000000000000000/src";

    private readonly FakeCommandRunner _runner = new();
    private readonly MemoryDeploymentLogStore _log = new();
    private readonly FakeEngineStore _store = new();

    private DeploymentContext Context(string commit, PreviewTarget? preview, params ContainerInfo[] old)
    {
        var app = new Application
        {
            Id = 1,
            Uuid = App,
            Name = "site",
            GitRepository = "https://example.com/site.git",
            GitBranch = "main",
            BuildPack = BuildPack.Static,
            StaticImage = "slipway-test/busybox",
            StaticServer = StaticServer.BusyboxHttpd,
            PortsExposes = "8080",
            // Production's health-check port: a preview on host networking must be checked on its own port instead.
            HealthCheckPort = "9999",
            HealthCheckEnabled = true,
            HealthCheckStartPeriod = 0,
            CustomDockerRunOptions = "--network host",
        };
        var work = new DeploymentWork(
            new Deployment { Id = 9, Uuid = "depuuid0000000000000000", ApplicationId = 1, Commit = commit, PullRequestId = 7 },
            app,
            TestServers.Localhost(allowHostNetwork: true),
            [],
            DeployKey: null,
            preview);
        _runner.ListedContainers = old;
        return new DeploymentContext
        {
            Work = work,
            Target = new FakeExecutionTarget(_runner),
            Log = new RunLogWriter(_log, 9),
            Store = _store,
            Clock = TimeProvider.System,
            Options = new EngineOptions { StartupGrace = TimeSpan.Zero, PollInterval = TimeSpan.FromMilliseconds(1) },
            Prober = new StatusProber(200),
            Proxy = new RecordingProxy(),
        };
    }

    private async Task RunAsync(DeploymentContext context)
    {
        // As the runner does: the settings check first, then the planned steps.
        var steps = await Runbook.PlanAsync(context, TestContext.Current.CancellationToken);
        await DeploymentPipeline.RunAsync(context, steps, TestContext.Current.CancellationToken);
    }

    /// <summary>The argument lists of the calls of <paramref name="program"/> (a docker client by any path) with <paramref name="first"/> among them.</summary>
    private IEnumerable<string[]> Calls(string program, string first) =>
        _runner.Commands.Where(c => (c.Program == program || c.Program.EndsWith("/" + program, StringComparison.Ordinal)) && c.Arguments.Any(a => a.Value == first))
            .Select(c => c.Arguments.Select(a => a.Value).ToArray());

    [Fact]
    public async Task PreviewOnHostNetwork_UsesItsOwnPortImageRepositoryAndContainerName()
    {
        _runner.When(Starts("git", "ls-remote"), 0, $"{PrHead}\trefs/pull/7/head")
            .When(Starts("git", "-C", Src, "rev-parse"), 0, BranchHead)
            .When(Starts("docker", "image", "inspect"), 1)
            .When(Starts("docker", "inspect"), 0, Running)
            .When(Starts("docker", "top"), 0, "PID", "7")
            .When(Starts("cat", "/proc/net/tcp"), 0, "  0: 00000000:4E27 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1")
            .When(Starts("ls", "-l", "/proc/7/fd"), 0, "lrwx------ 1 root root 64 Nov 28 10:00 3 -> socket:[12345]");
        var context = Context("HEAD", new PreviewTarget(20007, "https://7.app.example.com", "refs/pull/7/head"),
            new ContainerInfo($"{App}-pr-7", "running", $"{App}-pr-7:old", "previous"));

        await RunAsync(context);

        // HEAD of a preview is the head of its pull request's ref, not of the tracked branch.
        Assert.Equal(["ls-remote", "--", "https://example.com/site.git", "refs/pull/7/head"], Calls("git", "ls-remote").Single());
        Assert.Equal(PrHead, _store.Commit);
        Assert.Equal(["-C", Src, "fetch", "--depth", "1", "origin", PrHead], Calls("git", "fetch").Single());
        var target = (FakeExecutionTarget)context.Target;
        Assert.Contains("PORT=20007", target.Files["/work/depuuid0000000000000000/.env"], StringComparison.Ordinal);
        Assert.Contains("\"-p\", \"20007\"", target.Files["/work/depuuid0000000000000000/Dockerfile.static"], StringComparison.Ordinal);
        Assert.Contains($"{App}-pr-7:{PrHead}", Calls("docker", "build").Single());
        var run = Calls("docker", "run").Single();
        Assert.Equal($"{App}-pr-7", run[Array.IndexOf(run, "--name") + 1]);
        Assert.Contains("slipway.pull-request=7", run);
        // The previous preview container holds the fixed name: it is removed before the new one starts.
        var removeOld = _runner.Commands.FindIndex(c => c.ToDisplayString() == $"docker rm -f {App}-pr-7");
        Assert.InRange(removeOld, 0, _runner.Commands.FindIndex(c => c.Arguments.Count > 0 && c.Arguments[0].Value == "run"));
        Assert.Equal(["image", "ls", $"{App}-pr-7", "--format", "{{.Tag}}\t{{.CreatedAt}}\t{{.ID}}"], Calls("docker", "ls").Single());
        Assert.Equal(20007, ((StatusProber)context.Prober).Probes.Single().Port);
    }

    [Fact]
    public async Task PreviewCommitTheServerWillNotSendBySha_IsFetchedThroughThePullRequestRef()
    {
        _runner.When(Starts("git", "-C", Src, "rev-parse"), 0, BranchHead)
            .When(Starts("git", "-C", Src, "fetch", "--depth", "1", "origin", PrHead), 128, "fatal: remote error: upload-pack: not our ref")
            .When(Starts("docker", "image", "inspect"), 1)
            .When(Starts("docker", "inspect"), 0, Running)
            .When(Starts("docker", "top"), 0, "PID", "7")
            .When(Starts("cat", "/proc/net/tcp"), 0, "  0: 00000000:4E27 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1")
            .When(Starts("ls", "-l", "/proc/7/fd"), 0, "lrwx------ 1 root root 64 Nov 28 10:00 3 -> socket:[12345]");

        await RunAsync(Context(PrHead, new PreviewTarget(20007, null, "refs/pull/7/head")));

        Assert.Equal(
            [["-C", Src, "fetch", "--depth", "1", "origin", PrHead], ["-C", Src, "fetch", "--depth", "1", "origin", "refs/pull/7/head"]],
            Calls("git", "fetch").ToArray());
        Assert.Equal(["-C", Src, "-c", "advice.detachedHead=false", "checkout", "--detach", PrHead], Calls("git", "checkout").Single());
        Assert.DoesNotContain(Calls("git", "ls-remote"), _ => true);
        Assert.Contains(_log.Outputs, o => o.Contains("fetching the pull request's refs/pull/7/head", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PreviewThatNoLongerExists_FailsBeforeAnyCommandRuns()
    {
        var failure = await Assert.ThrowsAsync<DeploymentFailedException>(() => RunAsync(Context(PrHead, preview: null)));

        Assert.Contains("not valid", failure.Message, StringComparison.Ordinal);
        Assert.Contains(_log.Outputs, o => o.Contains("The preview of pull request #7 no longer exists", StringComparison.Ordinal));
        Assert.Empty(_runner.Commands);
    }

    [Fact]
    public async Task PreviewWithAHostileSourceRef_FailsBeforeAnyCommandRuns()
    {
        await Assert.ThrowsAsync<DeploymentFailedException>(() => RunAsync(Context("HEAD", new PreviewTarget(20007, null, "--upload-pack=touch /tmp/pwned"))));

        Assert.Empty(_runner.Commands);
    }

    private sealed class StatusProber(int status) : IHttpProber
    {
        public List<HttpProbe> Probes { get; } = [];

        public Task<HttpProbeResult> ProbeAsync(Server server, HttpProbe probe, CancellationToken cancellationToken)
        {
            Probes.Add(probe);
            return Task.FromResult(new HttpProbeResult(status, "ok", null));
        }
    }
}
