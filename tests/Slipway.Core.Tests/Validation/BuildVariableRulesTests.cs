using Slipway.Core.Validation;

namespace Slipway.Core.Tests.Validation;

/// <summary>Build-time names the docker client, git, ssh and the loader read are refused (issue 10, item 2).</summary>
public sealed class BuildVariableRulesTests
{
    [Theory]
    [InlineData("PATH")]
    [InlineData("path")]
    [InlineData("HOME")]
    [InlineData("LD_PRELOAD")]
    [InlineData("ld_library_path")]
    [InlineData("LD_AUDIT")]
    [InlineData("DOCKER_HOST")]
    [InlineData("DOCKER_CONFIG")]
    [InlineData("DOCKER_BUILDKIT")]
    [InlineData("BUILDKIT_PROGRESS")]
    [InlineData("BUILDX_BUILDER")]
    [InlineData("GIT_DIR")]
    [InlineData("GIT_SSH")]
    [InlineData("GIT_SSH_COMMAND")]
    [InlineData("GIT_EXEC_PATH")]
    [InlineData("GIT_CONFIG_GLOBAL")]
    [InlineData("GIT_CONFIG_COUNT")]
    [InlineData("GIT_TRACE2_EVENT")]
    [InlineData("GIT_ASKPASS")]
    [InlineData("SSH_AUTH_SOCK")]
    [InlineData("XDG_CONFIG_HOME")]
    [InlineData("GLIBC_TUNABLES")]
    [InlineData("GCONV_PATH")]
    [InlineData("TMPDIR")]
    [InlineData("HTTPS_PROXY")]
    [InlineData("no_proxy")]
    [InlineData("SSL_CERT_FILE")]
    public void CheckBuildName_NameAProgramOfTheBuildReads_IsRefusedWithWhatToDoInstead(string name)
    {
        var error = BuildVariableRules.CheckBuildName(name);

        Assert.NotNull(error);
        Assert.StartsWith($"The name {name} cannot be a build-time variable", error, StringComparison.Ordinal);
        Assert.Contains("runtime-only", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GIT_SHA")]
    [InlineData("GIT_COMMIT")]
    [InlineData("GIT_BRANCH")]
    [InlineData("DOCKERFILE_PATH")]
    [InlineData("NODE_ENV")]
    [InlineData("NPM_TOKEN")]
    [InlineData("HOMEPAGE_URL")]
    [InlineData("PATH_PREFIX")]
    [InlineData("SSHD_PORT")]
    [InlineData("LD")]
    [InlineData("spring.profiles.active")]
    public void CheckBuildName_HarmlessLookAlike_IsAllowed(string name) => Assert.Null(BuildVariableRules.CheckBuildName(name));
}
