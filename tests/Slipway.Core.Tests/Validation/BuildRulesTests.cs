using Slipway.Core.Commands;
using Slipway.Core.Validation;

namespace Slipway.Core.Tests.Validation;

/// <summary>Issue 14 item 2: the build target, ARG injection and BuildKit secrets as docker build arguments.</summary>
public sealed class BuildRulesTests
{
    [Theory]
    [InlineData("production")]
    [InlineData("build-stage_2.1")]
    public void CheckTarget_StageName_IsAccepted(string value) => Assert.Null(BuildRules.CheckTarget(value));

    [Theory]
    [InlineData("production; echo pwned")]
    [InlineData("builder$(whoami)")]
    [InlineData("-stage")]
    [InlineData("a b")]
    [InlineData("prod\n")]
    public void CheckTarget_AnythingElse_IsRefused(string value) => Assert.NotNull(BuildRules.CheckTarget(value));

    [Fact]
    public void InjectArguments_AddsEachArgAfterEveryFrom_IncludingContinuedOnes()
    {
        const string dockerfile = "# syntax=docker/dockerfile:1\nFROM node:20 AS build\nRUN npm ci\nfrom \\\n  nginx:alpine\nCOPY --from=build /app /srv\n";

        var injected = BuildRules.InjectArguments(dockerfile, ["TOKEN", "API_URL"]);

        Assert.Equal(
            "# syntax=docker/dockerfile:1\nFROM node:20 AS build\nARG API_URL\nARG TOKEN\nRUN npm ci\nfrom \\\n  nginx:alpine\nARG API_URL\nARG TOKEN\nCOPY --from=build /app /srv\n",
            injected);
    }

    [Fact]
    public void Build_WithSecretsAndTarget_PassesSecretsByNameOnlyAndNeverAsBuildArguments()
    {
        var build = new ImageBuild("app:abc", "/w/Dockerfile", "/w/src",
            new Dictionary<string, string> { ["NPM_TOKEN"] = "s3cret", ["SOURCE_COMMIT"] = "abc" }, new Dictionary<string, string>(), NoCache: false)
        {
            BuildKit = true,
            Target = "production",
            Secrets = new HashSet<string>(StringComparer.Ordinal) { "NPM_TOKEN" },
        };

        var command = DockerCommands.Build(build);

        Assert.Equal(
            "docker build --progress plain -f /w/Dockerfile -t app:abc --target production --build-arg SOURCE_COMMIT --secret id=NPM_TOKEN,env=NPM_TOKEN /w/src",
            command.ToDisplayString());
        Assert.Equal("s3cret", command.Environment!["NPM_TOKEN"]);
    }
}
