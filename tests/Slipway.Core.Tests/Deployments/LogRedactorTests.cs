using Slipway.Core.Deployments;

namespace Slipway.Core.Tests.Deployments;

public sealed class LogRedactorTests
{
    [Theory]
    [InlineData("Cloning into https://x-access-token:ghs_abc123@github.com/org/repo.git", "Cloning into https://<REDACTED>@github.com/org/repo.git")]
    [InlineData("remote: ssh://deploy:pa55@host:22/repo", "remote: ssh://<REDACTED>@host:22/repo")]
    [InlineData("nothing secret here", "nothing secret here")]
    public void Redact_CredentialsInUrls_AreReplaced(string input, string expected)
    {
        Assert.Equal(expected, LogRedactor.Redact(input, null));
    }

    [Fact]
    public void Redact_SecretValues_AreReplacedLongestFirst()
    {
        var result = LogRedactor.Redact("token=abcdef and abc", ["abc", "abcdef"]);

        Assert.Equal("token=<REDACTED> and <REDACTED>", result);
    }
}
