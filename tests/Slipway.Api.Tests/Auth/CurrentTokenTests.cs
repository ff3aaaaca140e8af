using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Deployments;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Auth;

public sealed class CurrentTokenTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData(ApiAbility.Read | ApiAbility.Deploy, new[] { "read", "deploy" })]
    [InlineData(ApiAbility.WriteSensitive, new[] { "write:sensitive" })]
    [InlineData(ApiAbility.Root, new[] { "root" })]
    public async Task CurrentToken_AnyValidToken_ReturnsNameTeamAbilitiesExpiryAndNoSecret(ApiAbility abilities, string[] names)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var expires = new DateTime(2031, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1234560);
        var token = await factory.CreateTokenAsync(abilities, tenant.TeamId, expires, name: "ci-pipeline");

        var body = await JsonAsync(await factory.ClientWith(token).GetAsync("/api/v1/tokens/current"), HttpStatusCode.OK);

        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Equal("ci-pipeline", root.GetProperty("name").GetString());
        Assert.Equal(tenant.TeamId, root.GetProperty("team_id").GetInt64());
        Assert.Equal(names, root.GetProperty("abilities").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("2031-05-06T07:08:09.123456Z", root.GetProperty("expires_at").GetString());
        var secret = token[(token.IndexOf('|', StringComparison.Ordinal) + 1)..];
        Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        var id = long.Parse(token[..token.IndexOf('|', StringComparison.Ordinal)]);
        var hash = await db.ApiTokens.Where(t => t.Id == id).Select(t => t.TokenHash).SingleAsync(Ct);
        Assert.DoesNotContain(hash, body, StringComparison.Ordinal);
        Assert.DoesNotContain(root.EnumerateObject(), p => p.Name.Contains("secret", StringComparison.Ordinal) || p.Name.Contains("hash", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CurrentToken_NoExpiry_ReturnsNullExpiresAt()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var client = await tenant.ClientAsync(ApiAbility.Read);

        var root = await JsonElementAsync(await client.GetAsync("/api/v1/tokens/current"), HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Null, root.GetProperty("expires_at").ValueKind);
    }
}
