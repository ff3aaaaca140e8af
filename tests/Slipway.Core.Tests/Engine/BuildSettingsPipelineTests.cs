using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Core.Engine.Steps;
using Slipway.Core.Execution;
using Slipway.Core.Servers;
using Slipway.Core.Tests.Fakes;

namespace Slipway.Core.Tests.Engine;

/// <summary>
/// Issue 14 item 2 in the build step with a scripted runner: build secrets where BuildKit is, a clear error line and
/// nothing passed where it is not; SOURCE_COMMIT stays a build argument. Through Docker and git: BuildSettingsTests.
/// </summary>
public sealed class BuildSettingsPipelineTests
{
    private readonly FakeCommandRunner _runner = new();
    private readonly MemoryDeploymentLogStore _log = new();

    private DeploymentContext Context(bool buildKit)
    {
        var app = new Application
        {
            Id = 1,
            Uuid = "appuuid0000000000000000",
            Name = "inline",
            BuildPack = BuildPack.Dockerfile,
            Dockerfile = "FROM slipway-test/busybox:latest\n",
            PortsExposes = "8080",
            UseBuildSecrets = true,
            IncludeSourceCommitInBuild = true,
        };
        var server = TestServers.Localhost();
        server.SetDockerProbe(new DockerProbe(TestServers.DockerClient, buildKit, DefaultBridge: false, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc)));
        var work = new DeploymentWork(
            new Deployment { Id = 9, Uuid = "depuuid0000000000000000", ApplicationId = 1, Commit = "HEAD" }, app, server,
            [new ResolvedVariable("NPM_TOKEN", "s3cret", IsBuildtime: true, IsRuntime: false, IsSecret: true)], DeployKey: null, Preview: null);
        return new DeploymentContext
        {
            Work = work,
            Target = new FakeExecutionTarget(_runner),
            Log = new RunLogWriter(_log, 9),
            Store = new FakeEngineStore(),
            Clock = TimeProvider.System,
            Options = new EngineOptions(),
            Prober = new ThrowingProber(),
            Proxy = new RecordingProxy(),
            Commit = "0123456789012345678901234567890123456789",
        };
    }

    private List<string> BuildArguments() =>
        [.. _runner.Commands.Single(c => c.Arguments.Count > 0 && c.Arguments[0].Value == "build").Arguments.Select(a => a.Value)];

    [Fact]
    public async Task UseBuildSecrets_WithBuildKit_PassesTheVariableAsASecretOnly()
    {
        _runner.When(FakeCommandRunner.Starts("docker", "image", "inspect"), 1);

        await new BuildImageStep().ExecuteAsync(Context(buildKit: true), TestContext.Current.CancellationToken);

        var args = BuildArguments();
        Assert.Contains("id=NPM_TOKEN,env=NPM_TOKEN", args);
        Assert.Equal(["--build-arg", "SOURCE_COMMIT"], args.Where((a, i) => a == "--build-arg" || (i > 0 && args[i - 1] == "--build-arg")));
    }

    [Fact]
    public async Task UseBuildSecrets_WithoutBuildKit_SaysSoAndPassesTheVariableNeitherWay()
    {
        _runner.When(FakeCommandRunner.Starts("docker", "image", "inspect"), 1);

        await new BuildImageStep().ExecuteAsync(Context(buildKit: false), TestContext.Current.CancellationToken);

        var args = BuildArguments();
        Assert.DoesNotContain(args, a => a.Contains("NPM_TOKEN", StringComparison.Ordinal));
        Assert.DoesNotContain("--secret", args);
        Assert.Contains(_log.Outputs, o => o.StartsWith("use_build_secrets is on, but this server's Docker builds without BuildKit", StringComparison.Ordinal)
            && o.Contains("(NPM_TOKEN) are NOT passed", StringComparison.Ordinal));
        Assert.False(_runner.Commands.Single(c => c.Arguments[0].Value == "build").Environment!.ContainsKey("NPM_TOKEN"));
    }

    private sealed class ThrowingProber : IHttpProber
    {
        public Task<HttpProbeResult> ProbeAsync(Server server, HttpProbe probe, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The build step probes nothing over HTTP.");
    }
}
