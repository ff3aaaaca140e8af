using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Deployments;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Applications;

/// <summary>
/// Credentials in <c>git_repository</c> (<c>https://user:token@host/...</c>) are shown only to <c>read:sensitive</c>
/// (and <c>root</c>); every other caller sees <c>&lt;REDACTED&gt;</c> in their place, as in deployment logs. Sending the
/// redacted value back unchanged keeps the stored URL.
/// </summary>
public sealed class RepositoryCredentialsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string WithToken = "https://deploy-bot:ghp_s3cr3tT0ken@github.com/acme/private.git";
    private const string Redacted = "https://<REDACTED>@github.com/acme/private.git";

    [Theory]
    [InlineData(ApiAbility.Read, Redacted)]
    [InlineData(ApiAbility.Read | ApiAbility.Write | ApiAbility.Deploy | ApiAbility.WriteSensitive, Redacted)]
    [InlineData(ApiAbility.Read | ApiAbility.ReadSensitive, WithToken)]
    [InlineData(ApiAbility.Root, WithToken)]
    public async Task Get_RepositoryWithCredentials_ShowsThemOnlyToSensitiveReaders(ApiAbility abilities, string expected)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync(configure: a => a.GitRepository = WithToken);
        var client = await tenant.ClientAsync(abilities);

        var one = await JsonElementAsync(await client.GetAsync($"/api/v1/applications/{application.Uuid}"), HttpStatusCode.OK);
        var list = await JsonAsync(await client.GetAsync("/api/v1/applications"), HttpStatusCode.OK);

        Assert.Equal(expected, one.GetProperty("git_repository").GetString());
        Assert.Equal(expected == WithToken, list.Contains("ghp_s3cr3tT0ken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_RepositoryWithoutCredentials_IsShownAsStored()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync(configure: a => a.GitRepository = "git@github.com:acme/site.git");
        var client = await tenant.ClientAsync(ApiAbility.Read);

        var one = await JsonElementAsync(await client.GetAsync($"/api/v1/applications/{application.Uuid}"), HttpStatusCode.OK);

        Assert.Equal("git@github.com:acme/site.git", one.GetProperty("git_repository").GetString());
    }

    [Fact]
    public async Task Patch_RedactedValueSentBack_KeepsTheStoredCredentials()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync(configure: a =>
        {
            a.GitRepository = WithToken;
            a.GitHostKeys = "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
        });
        var client = await tenant.ClientAsync(ApiAbility.Read | ApiAbility.Write);

        var response = await client.PatchBodyAsync($"/api/v1/applications/{application.Uuid}", new { git_repository = Redacted, name = "renamed" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = factory.CreateDbContext();
        var stored = await db.Applications.AsNoTracking().SingleAsync(a => a.Id == application.Id, Ct);
        Assert.Equal((WithToken, "renamed"), (stored.GitRepository, stored.Name));
        Assert.NotNull(stored.GitHostKeys);
    }

    [Fact]
    public async Task Patch_AnotherRepository_ReplacesItAndForgetsThePinnedHostKey()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync(configure: a =>
        {
            a.GitRepository = WithToken;
            a.GitHostKeys = "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
        });
        var client = await tenant.ClientAsync(ApiAbility.Write);

        var response = await client.PatchBodyAsync($"/api/v1/applications/{application.Uuid}", new { git_repository = "git@gitlab.com:acme/private.git" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = factory.CreateDbContext();
        var stored = await db.Applications.AsNoTracking().SingleAsync(a => a.Id == application.Id, Ct);
        Assert.Equal(("git@gitlab.com:acme/private.git", null), (stored.GitRepository, stored.GitHostKeys));
    }

    [Theory]
    [InlineData("https://<REDACTED>@gitlab.com/acme/private.git")]
    [InlineData("https://<REDACTED>@github.com/acme/other.git")]
    public async Task Patch_RedactedMarkerForAnotherUrl_Returns422AndKeepsTheStoredUrl(string repository)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync(configure: a => a.GitRepository = WithToken);
        var client = await tenant.ClientAsync(ApiAbility.Write);

        var response = await client.PatchBodyAsync($"/api/v1/applications/{application.Uuid}", new { git_repository = repository });

        Assert.Single(await ValidationAsync(response, "git_repository"));
        await using var db = factory.CreateDbContext();
        Assert.Equal(WithToken, await db.Applications.Where(a => a.Id == application.Id).Select(a => a.GitRepository).SingleAsync(Ct));
    }
}
