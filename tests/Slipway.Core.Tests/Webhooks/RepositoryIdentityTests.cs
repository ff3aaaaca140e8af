using Slipway.Core.Webhooks;

namespace Slipway.Core.Tests.Webhooks;

public sealed class RepositoryIdentityTests
{
    [Theory]
    [InlineData("https://github.com/octo-org/hello-web", "https://github.com/octo-org/hello-web.git")]
    [InlineData("https://github.com/octo-org/hello-web", "https://GitHub.com/Octo-Org/Hello-Web/")]
    [InlineData("https://github.com/octo-org/hello-web", "git@github.com:octo-org/hello-web.git")]
    [InlineData("https://github.com/octo-org/hello-web", "ssh://git@github.com/octo-org/hello-web.git")]
    [InlineData("https://github.com/octo-org/hello-web", "ssh://git@github.com:22/octo-org/hello-web")]
    [InlineData("https://github.com/octo-org/hello-web", "git://github.com/octo-org/hello-web.git")]
    [InlineData("https://github.com/octo-org/hello-web", "http://github.com/octo-org/hello-web")]
    [InlineData("https://github.com/octo-org/hello-web", "https://token:x-oauth@github.com/octo-org/hello-web.git")]
    [InlineData("git@gitlab.example.com:acme/platform/hello-web.git", "https://gitlab.example.com/acme/platform/hello-web")]
    [InlineData("ssh://git@gitea.example.com:2222/acme/hello-web.git", "https://gitea.example.com/acme/hello-web.git")]
    [InlineData("file:///tmp/slipway-repo-abc", "file:///tmp/slipway-repo-abc/")]
    [InlineData("file:///tmp/slipway-repo-abc", "file:///tmp/slipway-repo-abc.git")]
    public void SameRepository_SpellingsOfOneRepository_AreEqual(string left, string right)
    {
        Assert.True(RepositoryIdentity.SameRepository(left, right));
        Assert.True(RepositoryIdentity.SameRepository(right, left));
    }

    [Theory]
    // Lookalikes that a substring or suffix match would accept.
    [InlineData("https://github.com/octo-org/hello-web", "https://github.com/octo-org/hello-web-evil")]
    [InlineData("https://github.com/octo-org/hello-web", "https://github.com/octo-org/hello-we")]
    [InlineData("https://github.com/octo-org/hello-web", "https://github.com/evil-octo-org/hello-web")]
    [InlineData("https://github.com/octo-org/hello-web", "https://github.com/octo-org/hello-web/tree")]
    [InlineData("https://github.com/octo-org/hello-web", "https://github.com/x/octo-org/hello-web")]
    [InlineData("https://github.com/octo-org/hello-web", "https://evil.com/octo-org/hello-web")]
    [InlineData("https://github.com/octo-org/hello-web", "https://github.com.evil.com/octo-org/hello-web")]
    [InlineData("https://github.com/octo-org/hello-web", "https://evil.com/github.com/octo-org/hello-web")]
    [InlineData("https://github.com/octo-org/hello-web", "git@evil.com:octo-org/hello-web.git")]
    [InlineData("https://github.com/octo-org/hello-web", "octo-org/hello-web")]
    [InlineData("https://github.com/octo-org/hello-web", "hello-web")]
    [InlineData("https://github.com/octo-org/hello-web", "https://github.com/octo-org/hello-web.git.evil")]
    [InlineData("https://github.com/octo-org/hello-web", "https://github.com/octo-org/hello-web?x=1")]
    [InlineData("file:///tmp/slipway-repo-abc", "file:///tmp/slipway-repo-abcd")]
    [InlineData("file:///tmp/slipway-repo-abc", "https://tmp/slipway-repo-abc")]
    public void SameRepository_Lookalikes_AreDifferent(string application, string payload)
    {
        Assert.False(RepositoryIdentity.SameRepository(application, payload));
        Assert.False(RepositoryIdentity.SameRepository(payload, application));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("https://github.com")]
    [InlineData("https://github.com/")]
    [InlineData("https:///octo-org/hello-web")]
    [InlineData("https://github.com/octo-org/../hello-web")]
    [InlineData("https://github.com/octo-org//hello-web")]
    [InlineData("ftp://github.com/octo-org/hello-web")]
    [InlineData("file://host/tmp/repo")]
    [InlineData("https://github.com/octo org/hello-web")]
    [InlineData("@github.com:octo-org/hello-web")]
    public void Normalize_NotARepositoryUrl_IsNull(string? url) => Assert.Null(RepositoryIdentity.Normalize(url));

    [Fact]
    public void SameRepository_TwoEmptyValues_AreNotEqual() => Assert.False(RepositoryIdentity.SameRepository("", ""));

    [Theory]
    [InlineData("https://GitHub.com/Octo-Org/Hello-Web.git", "github.com/octo-org/hello-web")]
    [InlineData("git@github.com:octo-org/hello-web.git", "github.com/octo-org/hello-web")]
    [InlineData("ssh://git@[::1]:2222/srv/repo.git", "[::1]/srv/repo")]
    [InlineData("file:///tmp/slipway-repo-abc", "/tmp/slipway-repo-abc")]
    public void Normalize_Urls_GiveHostAndPath(string url, string expected) => Assert.Equal(expected, RepositoryIdentity.Normalize(url));
}
