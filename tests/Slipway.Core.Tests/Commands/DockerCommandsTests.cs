using Slipway.Core.Commands;
using Slipway.Core.Validation;

namespace Slipway.Core.Tests.Commands;

public sealed class DockerCommandsTests
{
    [Fact]
    public void Build_WithBuildArguments_PassesKeysOnlyAndValuesThroughTheEnvironment()
    {
        var build = new ImageBuild("app:abc", "/w/src/Dockerfile", "/w/src", new Dictionary<string, string> { ["NPM_TOKEN"] = "s3cret" },
            new Dictionary<string, string> { ["slipway.application"] = "app" }, NoCache: true)
        { Network = "none" };

        var command = DockerCommands.Build(build);

        Assert.Equal(
            "docker build --network none --rm --force-rm -f /w/src/Dockerfile -t app:abc --no-cache --build-arg NPM_TOKEN --label slipway.application=app /w/src",
            command.ToDisplayString());
        Assert.Equal("s3cret", command.Environment!["NPM_TOKEN"]);
        Assert.Equal("0", command.Environment["DOCKER_BUILDKIT"]);
        Assert.DoesNotContain("s3cret", command.ToDisplayString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithBuildKit_UsesTheProbedClientPlainProgressAndDockersDefaultNetwork()
    {
        var build = new ImageBuild("app:abc", "/w/Dockerfile", "/w/src", new Dictionary<string, string>(), new Dictionary<string, string>(), NoCache: false)
        {
            Client = "/usr/bin/docker",
            BuildKit = true,
        };

        var command = DockerCommands.Build(build);

        Assert.Equal("/usr/bin/docker build --progress plain -f /w/Dockerfile -t app:abc /w/src", command.ToDisplayString());
        Assert.Equal("1", command.Environment!["DOCKER_BUILDKIT"]);
    }

    [Fact]
    public void Build_ArgumentNamedLikeTheBuilderSwitch_CannotReplaceIt()
    {
        var build = new ImageBuild("app:abc", "/w/Dockerfile", "/w/src", new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "0" },
            new Dictionary<string, string>(), NoCache: false)
        { BuildKit = true };

        Assert.Equal("1", DockerCommands.Build(build).Environment!["DOCKER_BUILDKIT"]);
    }

    [Fact]
    public void BuildKitProbe_BuildsAnEmptyImageFromStandardInputToNowhereWithoutNetwork()
    {
        var probe = DockerCommands.BuildKitProbe("/usr/bin/docker");

        Assert.Equal("/usr/bin/docker build --network none -o type=tar,dest=/dev/null -", probe.ToDisplayString());
        Assert.Equal(("1", "FROM scratch\n"), (probe.Environment!["DOCKER_BUILDKIT"], probe.StandardInput));
    }

    [Fact]
    public void Run_OnTheSlipwayNetwork_JoinsItBeforeTheApplicationsOptions()
    {
        var run = new ContainerRun("app-1", "app:abc", new Dictionary<string, string>(), null, ["127.0.0.1:8080:80"], [new RunOption("--cap-drop", "ALL")], null, null, null)
        {
            Network = "slipway",
        };

        Assert.Equal("docker run -d --name app-1 --init --restart unless-stopped -p 127.0.0.1:8080:80 --network slipway --cap-drop ALL app:abc",
            DockerCommands.Run(run).ToDisplayString());
    }

    [Fact]
    public void CreateNetwork_IsAUserDefinedBridgeLabelledAsSlipways()
    {
        Assert.Equal("docker network create --driver bridge --label slipway.managed=true slipway", DockerCommands.CreateNetwork("slipway").ToDisplayString());
    }

    [Fact]
    public void Run_WithOptionsAndLimits_RendersEachAsSeparateArguments()
    {
        var run = new ContainerRun("app-1", "app:abc", new Dictionary<string, string> { ["slipway.managed"] = "true" }, "/w/.env", ["8080:80"],
            [new RunOption("--network", "host"), new RunOption("--cap-add", "NET_ADMIN")], "256m", "0.5", 30);

        var command = DockerCommands.Run(run);

        Assert.Equal(
            "docker run -d --name app-1 --init --restart unless-stopped --label slipway.managed=true --env-file /w/.env -p 8080:80 --memory 256m --cpus 0.5 --stop-timeout 30 --network host --cap-add NET_ADMIN app:abc",
            command.ToDisplayString());
        Assert.Null(command.Environment);
    }

    [Fact]
    public void ListContainers_FiltersByApplicationAndPullRequestLabels()
    {
        var command = DockerCommands.ListContainers("abc", 0);

        Assert.Equal(["ps", "-a", "--filter", "label=slipway.application=abc", "--filter", "label=slipway.pull-request=0"],
            command.Arguments.Take(6).Select(a => a.Value).ToArray());
    }

    [Fact]
    public void GitClone_AlwaysSeparatesTheRepositoryWithDoubleDash()
    {
        var command = GitCommands.CloneBranch("https://example.com/r.git", "main", "/w/src", shallow: true, submodules: true, new Dictionary<string, string>());

        Assert.Equal(
            "git -c advice.detachedHead=false clone --branch main --single-branch --depth 1 --recurse-submodules --shallow-submodules -- https://example.com/r.git /w/src",
            command.ToDisplayString());
    }
}
