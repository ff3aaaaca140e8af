using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Core.Execution;
using Slipway.Core.Servers;
using Slipway.Core.Settings;
using Slipway.Core.Tests.Fakes;
using static Slipway.Core.Tests.Fakes.FakeCommandRunner;

namespace Slipway.Core.Tests.Engine;

public sealed class PipelineTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";
    private const string Running = "{\"Status\":\"running\",\"Running\":true,\"Pid\":7,\"ExitCode\":0}\thost\t\tnull";
    private const string Exited = "{\"Status\":\"exited\",\"Running\":false,\"Pid\":0,\"ExitCode\":1}\thost\t\tnull";

    private readonly FakeCommandRunner _runner = new();
    private readonly MemoryDeploymentLogStore _log = new();
    private readonly FakeEngineStore _store = new();

    private DeploymentContext Context(Action<Application>? configure = null)
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
            CustomDockerRunOptions = "--network host",
        };
        configure?.Invoke(app);
        var work = new DeploymentWork(
            new Deployment { Id = 9, Uuid = "depuuid0000000000000000", ApplicationId = 1, Commit = "HEAD" },
            app,
            TestServers.Localhost(allowHostNetwork: true),
            [new ResolvedVariable("API_KEY", "topsecret", IsBuildtime: false, IsRuntime: true, IsSecret: true)],
            DeployKey: null);
        return new DeploymentContext
        {
            Work = work,
            Target = new FakeExecutionTarget(_runner),
            Log = new RunLogWriter(_log, 9),
            Store = _store,
            Clock = TimeProvider.System,
            Options = new EngineOptions { StartupGrace = TimeSpan.Zero, PollInterval = TimeSpan.FromMilliseconds(1) },
            Prober = new NoProber(),
            Proxy = new RecordingProxy(),
            OldContainers = Task.FromResult<IReadOnlyList<ContainerInfo>>(
                [new ContainerInfo("appuuid0000000000000000-old", "running", "appuuid0000000000000000:old", "previous")]),
        };
    }

    private void ScriptGit() => _runner
        .When(Starts("git", "ls-remote"), 0, $"{Sha}\trefs/heads/main")
        .When(Starts("git", "-C", "/work/depuuid0000000000000000/src", "rev-parse"), 0, Sha)
        .When(Starts("git", "-C", "/work/depuuid0000000000000000/src", "log"), 0, "Add index page", "")
        .When(Starts("docker", "image", "inspect"), 1);

    [Fact]
    public async Task StaticSiteOnHostNetwork_RunsTheRunbookInOrder_AndStopsTheOldContainerFirst()
    {
        ScriptGit();
        _runner.When(Starts("docker", "inspect"), 0, Running);
        var context = Context();

        var steps = await PlanAsync(context);
        await DeploymentPipeline.RunAsync(context, steps, TestContext.Current.CancellationToken);

        // Lookups started ahead (build hash, image list for pruning) run alongside the runbook, in no fixed order.
        var runbook = _runner.Commands.Select(Verb).Where(v => v is not ("docker inspect" or "docker image inspect" or "docker image ls")).ToArray();
        // git ls-files: is_git_lfs_enabled (on by default) looks for LFS files; there are none, so no git lfs pull.
        Assert.Equal(["git ls-remote", "git clone", "git rev-parse", "git ls-files", "git log", "docker build", "docker stop", "docker run", "docker rm"], runbook);
        Assert.Single(_runner.Commands.Select(Verb), v => v == "docker image ls");
        Assert.Equal(Sha, _store.Commit);
        Assert.Equal("Add index page", _store.CommitMessage);
        var run = _runner.Commands.Single(c => c.Program == "docker" && c.Arguments[0].Value == "run");
        Assert.Contains("--env-file", run.Arguments.Select(a => a.Value));
        Assert.DoesNotContain(run.Arguments, a => a.Value.Contains("topsecret", StringComparison.Ordinal));
        var target = (FakeExecutionTarget)context.Target;
        Assert.Contains("API_KEY=topsecret", target.Files["/work/depuuid0000000000000000/.env"], StringComparison.Ordinal);
        Assert.Contains("PORT=8080", target.Files["/work/depuuid0000000000000000/.env"], StringComparison.Ordinal);
        Assert.Contains(_log.Outputs, o => o.Contains("old container is stopped first", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BuildHashLookup_StartsOnceTheCommitIsResolved_AlongsideTheClone()
    {
        ScriptGit();
        _runner.When(Starts("docker", "inspect"), 0, Running);
        var context = Context();

        var steps = await PlanAsync(context);
        await DeploymentPipeline.RunAsync(context, steps, TestContext.Current.CancellationToken);

        var verbs = _runner.Commands.Select(Verb).ToList();
        Assert.Single(verbs, v => v == "docker image inspect");
        Assert.True(verbs.IndexOf("docker image inspect") > verbs.IndexOf("git ls-remote"), string.Join(", ", verbs));
        Assert.Equal($"docker image inspect --format '{{{{ index .Config.Labels \"slipway.build-hash\" }}}}' appuuid0000000000000000:{Sha}",
            _runner.Rendered.Single(c => c.StartsWith("docker image inspect", StringComparison.Ordinal)));
        Assert.Contains(_log.Outputs, o => o.Contains("Image not found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NewContainerExits_RemovesItAndStartsTheOldOneAgain()
    {
        ScriptGit();
        _runner.When(Starts("docker", "inspect"), 0, Exited);
        var context = Context();
        var steps = await PlanAsync(context);

        var failure = await Assert.ThrowsAsync<DeploymentFailedException>(() => DeploymentPipeline.RunAsync(context, steps, TestContext.Current.CancellationToken));

        Assert.Contains("unhealthy", failure.Message, StringComparison.Ordinal);
        var tail = _runner.Rendered.TakeLast(3).ToArray();
        Assert.StartsWith("docker logs --tail 50 appuuid0000000000000000-", tail[0], StringComparison.Ordinal);
        Assert.StartsWith("docker rm -f appuuid0000000000000000-", tail[1], StringComparison.Ordinal);
        Assert.Equal("docker start appuuid0000000000000000-old", tail[2]);
        Assert.DoesNotContain(_runner.Rendered, c => c == "docker rm -f appuuid0000000000000000-old");
    }

    [Theory]
    [InlineData("main;id")]
    [InlineData("$(touch /tmp/pwned)")]
    public async Task StoredBranchWithShellCharacters_FailsBeforeAnyCommandRuns(string branch)
    {
        var context = Context(a => a.GitBranch = branch);
        var planner = new DeploymentPlanner(new InstanceSettings());

        await Assert.ThrowsAsync<DeploymentFailedException>(() => DeploymentPipeline.RunAsync(context, [planner.SettingsCheck()], TestContext.Current.CancellationToken));

        Assert.Empty(_runner.Commands);
    }

    /// <summary>As the runner does: the settings check, then the plan.</summary>
    private static async Task<IReadOnlyList<IDeploymentStep>> PlanAsync(DeploymentContext context) =>
        [new DeploymentPlanner(new InstanceSettings()).SettingsCheck(), .. await DeploymentPlanner.PlanAsync(context, TestContext.Current.CancellationToken)];

    private static string Verb(CommandSpec c) => c.Program == "git"
        ? "git " + c.Arguments.Select(a => a.Value).First(a => a is "ls-remote" or "clone" or "rev-parse" or "ls-files" or "log" or "fetch" or "checkout")
        : c.Arguments[0].Value == "image" ? $"docker image {c.Arguments[1].Value}" : $"docker {c.Arguments[0].Value}";

    private sealed class NoProber : IHttpProber
    {
        public Task<HttpProbeResult> ProbeAsync(Server server, HttpProbe probe, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpProbeResult(null, string.Empty, "not used"));
    }
}
