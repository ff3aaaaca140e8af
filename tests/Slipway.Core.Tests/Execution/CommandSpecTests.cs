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

    /// <summary>A repository URL's credentials never reach a log through a command line, whatever the command.</summary>
    [Theory]
    [InlineData("https://deploy:ghp_t0ken@github.com/acme/site.git", "https://<REDACTED>@github.com/acme/site.git")]
    [InlineData("https://ghp_t0ken@github.com/acme/site.git", "https://<REDACTED>@github.com/acme/site.git")]
    [InlineData("https://x-access-token:ghs_abc@github.com/acme/site.git", "https://<REDACTED>@github.com/acme/site.git")]
    [InlineData("https://oauth2:glpat-abc@gitlab.com/acme/site.git", "https://<REDACTED>@gitlab.com/acme/site.git")]
    public void ToDisplayString_UrlCredentials_AreRedacted(string url, string shown)
    {
        var command = CommandSpec.Of("git", "ls-remote", "--", url, "refs/heads/main");

        Assert.Equal($"git ls-remote -- {shown} refs/heads/main", command.ToDisplayString());
        Assert.Equal(command.ToDisplayString(), command.ToString());
    }

    [Fact]
    public void CommandFailedException_Message_RedactsTheCommandAndTheErrorLine()
    {
        var command = CommandSpec.Of("git", "clone", "--", "https://deploy:ghp_t0ken@github.com/acme/site.git", "src");

        var failure = new CommandFailedException(command, 128, ["fatal: unable to access 'https://deploy:ghp_t0ken@github.com/acme/site.git/': Could not resolve host"]);

        Assert.DoesNotContain("ghp_t0ken", failure.Message, StringComparison.Ordinal);
        Assert.Equal(
            "Command failed (exit code 128): git clone -- https://<REDACTED>@github.com/acme/site.git src: "
            + "fatal: unable to access 'https://<REDACTED>@github.com/acme/site.git/': Could not resolve host",
            failure.Message);
    }
}
