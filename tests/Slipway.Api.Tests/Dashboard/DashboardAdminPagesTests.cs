using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Deployments;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Users;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Dashboard;

/// <summary>
/// The servers, private keys, API tokens and team pages: the same operations and rules as the API and the CLI,
/// scoped to the team; a token's secret is shown once and never beyond the creator's abilities; a private key is
/// never shown back.
/// </summary>
public sealed partial class DashboardAdminPagesTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Tokens_MemberCreatesWithinTheirAbilities_SecretShownOnceAndWorks()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var member = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Member);

        var response = await member.PostFormPairsAsync("/tokens", "/tokens", Form(("name", "ci"), ("abilities", "read"), ("abilities", "deploy")));

        // Post/Redirect/Get: the secret is on the page the redirect leads to, and nowhere in its URL.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/tokens", response.Headers.Location?.OriginalString);
        var secret = NewToken().Match(await member.PageAsync("/tokens")).Groups[1].Value;
        Assert.NotEmpty(secret);
        var current = await JsonElementAsync(await factory.ClientWith(secret).GetAsync("/api/v1/tokens/current", Ct), HttpStatusCode.OK);
        Assert.Equal(["read", "deploy"], current.GetProperty("abilities").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(tenant.TeamId, current.GetProperty("team_id").GetInt64());
        var later = await member.PageAsync("/tokens");
        Assert.Contains("ci", later, StringComparison.Ordinal);
        Assert.DoesNotContain(secret.Split('|')[1], later, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"new-token\"", later, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("read:sensitive")]
    [InlineData("write:sensitive")]
    [InlineData("root")]
    public async Task Tokens_MemberAsksBeyondTheirAbilities_403AndNoToken(string ability)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var member = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Member);

        var response = await member.PostFormPairsAsync("/tokens", "/tokens", Form(("name", "sneaky"), ("abilities", "read"), ("abilities", ability)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("A token may not have abilities beyond your own.", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var page = await member.PageAsync("/tokens");
        Assert.Contains("name=\"abilities\" value=\"deploy\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"name=\"abilities\" value=\"{ability}\"", page, StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        Assert.False(await db.ApiTokens.AnyAsync(t => t.TeamId == tenant.TeamId && t.Name == "sneaky", Ct));
    }

    [Fact]
    public async Task Tokens_Revoke_MemberOnlyTheirOwn_OwnerAnyOfTheTeam_RevokedTokenIs401()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var member = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Member);
        var owner = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Owner);
        var others = await Tenant.CreateAsync(factory);
        var foreign = await others.TokenAsync(Core.Tokens.ApiAbility.Read);
        var ownersToken = await CreateAsync(owner, "owner's");
        var membersToken = await CreateAsync(member, "member's");
        var membersOther = await CreateAsync(member, "member's other");

        Assert.Equal(HttpStatusCode.NotFound, (await member.PostFormAsync("/tokens", "/tokens?handler=Revoke", new() { ["id"] = Id(ownersToken) })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.PostFormAsync("/tokens", "/tokens?handler=Revoke", new() { ["id"] = Id(foreign) })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(ownersToken).GetAsync("/api/v1/tokens/current", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(foreign).GetAsync("/api/v1/tokens/current", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await member.PostFormAsync("/tokens", "/tokens?handler=Revoke", new() { ["id"] = Id(membersToken) })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync("/tokens", "/tokens?handler=Revoke", new() { ["id"] = Id(membersOther) })).StatusCode);

        await MessageAsync(await factory.ClientWith(membersToken).GetAsync("/api/v1/tokens/current", Ct), HttpStatusCode.Unauthorized, "Unauthenticated.");
        await MessageAsync(await factory.ClientWith(membersOther).GetAsync("/api/v1/tokens/current", Ct), HttpStatusCode.Unauthorized, "Unauthenticated.");
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(ownersToken).GetAsync("/api/v1/tokens/current", Ct)).StatusCode);
    }

    [Fact]
    public async Task Tokens_FormWithoutAntiforgeryToken_400AndNoToken()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var owner = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Owner);

        var response = await owner.PostWithoutTokenAsync("/tokens", new() { ["name"] = "forged", ["abilities"] = "root" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = factory.CreateDbContext();
        Assert.False(await db.ApiTokens.AnyAsync(t => t.Name == "forged", Ct));
    }

    private static async Task<string> CreateAsync(DashboardClient client, string name)
    {
        var response = await client.PostFormPairsAsync("/tokens", "/tokens", Form(("name", name), ("abilities", "read")));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync(Ct));
        return NewToken().Match(await client.PageAsync("/tokens")).Groups[1].Value;
    }

    private static string Id(string token) => token[..token.IndexOf('|', StringComparison.Ordinal)];

    /// <summary>A form with repeated names (the abilities' checkboxes), as a browser posts it.</summary>
    private static List<KeyValuePair<string, string>> Form(params (string Name, string Value)[] fields) =>
        fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).ToList();

    [GeneratedRegex("id=\"new-token\" type=\"text\" readonly value=\"([^\"]+)\"")]
    private static partial Regex NewToken();
}
