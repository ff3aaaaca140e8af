using Slipway.Core.Applications;
using Slipway.Core.Engine.Steps;
using Slipway.Core.Settings;

namespace Slipway.Core.Validation.Tests;

/// <summary>
/// The pinned git host key is written into a known_hosts file for ssh: the engine's settings check accepts only what ssh
/// itself writes there, never a marker line or extra entries smuggled into the database.
/// </summary>
public sealed class PinnedHostKeysTests
{
    private const string Key = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("github.com ssh-ed25519 " + Key)]
    [InlineData("[127.0.0.1]:2222 ssh-ed25519 " + Key)]
    [InlineData("[git.example.com]:2222,[192.0.2.10]:2222 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY=")]
    [InlineData("github.com ssh-ed25519 " + Key + "\ngithub.com ssh-rsa AAAAB3NzaC1yc2E=")]
    public void CheckPinnedHostKeys_WhatSshWrites_IsAccepted(string? value) => Assert.Null(RepositoryRules.CheckPinnedHostKeys(value));

    [Theory]
    [InlineData("@cert-authority * ssh-ed25519 " + Key)]
    [InlineData("@revoked github.com ssh-ed25519 " + Key)]
    [InlineData("* ssh-ed25519 " + Key)]
    [InlineData("github.com ssh-ed25519 " + Key + " comment with spaces")]
    [InlineData("github.com ssh-ed25519 $(touch /tmp/x)")]
    [InlineData("github.com ssh-ed25519 " + Key + "\n\n")]
    [InlineData("github.com ssh-ed25519 " + Key + "\r\n* ssh-ed25519 " + Key)]
    [InlineData("|1|hashed= ssh-ed25519 " + Key)]
    [InlineData("github.com\tssh-ed25519\t" + Key)]
    public void CheckPinnedHostKeys_AnythingElse_IsRefused(string value) =>
        Assert.StartsWith("The pinned git host key is not a known_hosts line", RepositoryRules.CheckPinnedHostKeys(value), StringComparison.Ordinal);

    [Fact]
    public void SettingsCheck_HostileStoredHostKey_RefusesTheRun()
    {
        var application = new Application
        {
            Uuid = "app",
            Name = "app",
            BuildPack = BuildPack.Static,
            GitRepository = "git@github.com:acme/site.git",
            GitBranch = "main",
            GitHostKeys = "@cert-authority * ssh-ed25519 " + Key,
        };

        var problems = CheckSettingsStep.Check(application, "HEAD", new InstanceSettings()).ToList();

        Assert.Contains(problems, p => p.StartsWith("The pinned git host key is not a known_hosts line", StringComparison.Ordinal));
    }
}
