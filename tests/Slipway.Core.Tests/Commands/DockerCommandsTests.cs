using Slipway.Core.Commands;
using Slipway.Core.Validation;

namespace Slipway.Core.Tests.Commands;

public sealed class DockerCommandsTests
{
    [Fact]
    public void Build_WithBuildArguments_PassesKeysOnlyAndValuesThroughTheEnvironment()
    {
        var build = new ImageBuild("app:abc", "/w/src/Dockerfile", "/w/src", new Dictionary<string, string> { ["NPM_TOKEN"] = "s3cret" },
            new Dictionary<string, string> { ["slipway.application"] = "app" }, NoCache: true);

        var command = DockerCommands.Build(build);

        Assert.Equal(
            "docker build --network host --rm --force-rm -f /w/src/Dockerfile -t app:abc --no-cache --build-arg NPM_TOKEN --label slipway.application=app /w/src",
            command.ToDisplayString());
        Assert.Equal("s3cret", command.Environment!["NPM_TOKEN"]);
        Assert.Equal("0", command.Environment["DOCKER_BUILDKIT"]);
        Assert.DoesNotContain("s3cret", command.ToDisplayString(), StringComparison.Ordinal);
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
