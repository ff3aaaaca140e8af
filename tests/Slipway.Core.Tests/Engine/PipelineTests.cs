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
        _runner.ListedContainers = [new ContainerInfo("appuuid0000000000000000-old", "running", "appuuid0000000000000000:old", "previous")];
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
        };
    }

    private void ScriptGit() => _runner
        .When(Starts("git", "ls-remote"), 0, $"{Sha}\trefs/heads/main")
        .When(Starts("git", "-C", "/work/depuuid0000000000000000/src", "rev-parse"), 0, Sha)
        .When(Starts("git", "-C", "/work/depuuid0000000000000000/src", "log"), 0, "Add index page", "");

    [Fact]
    public async Task StaticSiteOnHostNetwork_RunsTheRunbookInOrder_AndStopsTheOldContainerFirst()
    {
        ScriptGit();
        _runner.When(Starts("docker", "inspect"), 0, Running);
        var context = Context();

        var steps = await PlanAsync(context);
        await DeploymentPipeline.RunAsync(context, steps, TestContext.Current.CancellationToken);

        // The gather step's lookups run alongside the clone, in no fixed order; the rest in order (health checks left out).
        var verbs = _runner.Commands.Select(Verb).ToList();
        string[] gathered = ["docker ps", "docker image ls"];
        Assert.All(gathered, v => Assert.InRange(verbs.IndexOf(v), verbs.IndexOf("git ls-remote") + 1, verbs.IndexOf("git log") - 1));
        // git ls-files: is_git_lfs_enabled (on by default) looks for LFS files; there are none, so no git lfs pull.
        Assert.Equal(["git ls-remote", "git clone", "git rev-parse", "git ls-files", "git log", "docker build", "docker stop", "docker run", "docker rm"],
            verbs.Where(v => v != "docker inspect" && !gathered.Contains(v)));
        Assert.Contains(_log.Outputs, o => o == "-----> Cloning repository (gathering facts alongside)");
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
    public async Task NewCommit_ImageNotAmongTheGatheredImages_BuildsWithoutLookingItUp()
    {
        ScriptGit();
        _runner.When(Starts("docker", "inspect"), 0, Running)
            .When(Starts("docker", "image", "ls"), 0, "older\t2026-11-27 10:00:00 +0000 UTC\tsha256:1");
        var context = Context();

        var steps = await PlanAsync(context);
        await DeploymentPipeline.RunAsync(context, steps, TestContext.Current.CancellationToken);

        Assert.DoesNotContain(_runner.Commands.Select(Verb), v => v == "docker image inspect");
        Assert.Single(_runner.Commands.Select(Verb), v => v == "docker build");
        Assert.Contains(_log.Outputs, o => o.Contains($"Image not found (appuuid0000000000000000:{Sha})", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SameCommitImageGathered_WithTheSameBuildHash_SkipsTheBuild()
    {
        ScriptGit();
        var context = Context();
        var hash = Slipway.Core.Engine.Steps.BuildImageStep.BuildHash(context.Application, 8080, new Dictionary<string, string>());
        _runner.When(Starts("docker", "inspect"), 0, Running)
            .When(Starts("docker", "image", "ls"), 0, $"{Sha}\t2026-11-27 10:00:00 +0000 UTC\tsha256:1")
            .When(Starts("docker", "image", "inspect"), 0, hash);

        var steps = await PlanAsync(context);
        await DeploymentPipeline.RunAsync(context, steps, TestContext.Current.CancellationToken);

        Assert.Equal($"docker image inspect --format '{{{{ index .Config.Labels \"slipway.build-hash\" }}}}' appuuid0000000000000000:{Sha}",
            _runner.Rendered.Single(c => c.StartsWith("docker image inspect", StringComparison.Ordinal)));
        Assert.DoesNotContain(_runner.Commands.Select(Verb), v => v == "docker build");
        Assert.Contains(_log.Outputs, o => o.Contains("Build step skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pruning_RemovesTheGatheredImagesBeyondTheNewestToKeep_NeverTheNewOne()
    {
        ScriptGit();
        _runner.When(Starts("docker", "inspect"), 0, Running)
            .When(Starts("docker", "image", "ls"), 0,
                "c\t2026-11-27 12:00:00 +0000 UTC\tsha256:3", "a\t2026-11-27 10:00:00 +0000 UTC\tsha256:1", "b\t2026-11-27 11:00:00 +0000 UTC\tsha256:2");
        var context = Context(a => a.DockerImagesToKeep = 2);

        var steps = await PlanAsync(context);
        await DeploymentPipeline.RunAsync(context, steps, TestContext.Current.CancellationToken);

        // The gather step listed the images once, before the build; pruning lists nothing again.
        Assert.Single(_runner.Commands.Select(Verb), v => v == "docker image ls");
        Assert.Equal(["docker image rm appuuid0000000000000000:b", "docker image rm appuuid0000000000000000:a"],
            _runner.Rendered.Where(c => c.StartsWith("docker image rm", StringComparison.Ordinal)));
        Assert.Contains(_log.Outputs, o => o.Contains("Kept 2 image(s) for rollback, removed 2.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RestartOnly_GathersBeforePlanning_AndRestartsFromTheListedContainersImage()
    {
        _runner.When(Starts("docker", "inspect"), 0, Running);
        var context = Context();
        context.Deployment.RestartOnly = true;

        var steps = await PlanAsync(context);
        await DeploymentPipeline.RunAsync(context, steps, TestContext.Current.CancellationToken);

        // The listing came before the plan, which reused its image: no clone, no build. The gather step's lookups run
        // side by side (up to three of them), so any of them may be recorded first.
        Assert.Contains("docker ps", _runner.Commands.Take(3).Select(Verb));
        Assert.DoesNotContain(_runner.Commands.Select(Verb), v => v is "git clone" or "docker build");
        Assert.Contains("appuuid0000000000000000:old", _runner.Commands.Single(c => Verb(c) == "docker run").Arguments.Select(a => a.Value));
        Assert.Contains(_log.Outputs, o => o == "-----> Gathering facts");
    }

    [Fact]
    public async Task Rollback_ToAGatheredImage_PlansOnTheListWithoutAnotherLookup()
    {
        _runner.When(Starts("docker", "inspect"), 0, Running)
            .When(Starts("docker", "image", "ls"), 0, $"{Sha}\t2026-11-27 10:00:00 +0000 UTC\tsha256:1");
        var context = Context();
        (context.Deployment.Rollback, context.Deployment.Commit) = (true, Sha);

        var steps = await PlanAsync(context);
        await DeploymentPipeline.RunAsync(context, steps, TestContext.Current.CancellationToken);

        // The plan read the gathered list; the one image inspect is the image step's own check before it runs it.
        Assert.DoesNotContain(_runner.Commands.Select(Verb), v => v is "git clone" or "docker build");
        Assert.Single(_runner.Commands.Select(Verb), v => v == "docker image inspect");
        Assert.Contains(_log.Outputs, o => o.Contains("Rolling back to the kept image", StringComparison.Ordinal));
        Assert.Contains($"appuuid0000000000000000:{Sha}", _runner.Commands.Single(c => Verb(c) == "docker run").Arguments.Select(a => a.Value));
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

    private static Task<IReadOnlyList<IDeploymentStep>> PlanAsync(DeploymentContext context) => Runbook.PlanAsync(context, TestContext.Current.CancellationToken);

    private static string Verb(CommandSpec c) => c.Program == "git"
        ? "git " + c.Arguments.Select(a => a.Value).First(a => a is "ls-remote" or "clone" or "rev-parse" or "ls-files" or "log" or "fetch" or "checkout")
        : c.Arguments[0].Value == "image" ? $"docker image {c.Arguments[1].Value}" : $"docker {c.Arguments[0].Value}";

    private sealed class NoProber : IHttpProber
    {
        public Task<HttpProbeResult> ProbeAsync(Server server, HttpProbe probe, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpProbeResult(null, string.Empty, "not used"));
    }
}
