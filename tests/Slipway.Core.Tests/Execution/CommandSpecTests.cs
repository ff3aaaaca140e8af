namespace Slipway.Core.Execution.Tests;

public sealed class CommandSpecTests
{
    [Fact]
    public void ToDisplayString_SensitiveArgument_IsRedacted()
    {
        var command = CommandSpec.Of("docker", "login", "--username", "deploy", "--password", CommandArg.Sensitive("hunter2 'x'"));

        var display = command.ToDisplayString();

        Assert.Equal("docker login --username deploy --password <REDACTED>", display);
        Assert.DoesNotContain("hunter2", command.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToDisplayString_EnvironmentValues_AreNeverShown()
    {
        var command = new CommandSpec("git", [new CommandArg("clone")], new Dictionary<string, string> { ["GIT_SSH_COMMAND"] = "ssh -i /secret/key" });

        Assert.DoesNotContain("secret", command.ToDisplayString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToDisplayString_QuotesArgumentsThatAreNotPlainWords()
    {
        var command = CommandSpec.Of("docker", "version", "--format", "{{.Server.Version}}", "a b", "");

        Assert.Equal("docker version --format '{{.Server.Version}}' 'a b' ''", command.ToDisplayString());
    }
}
