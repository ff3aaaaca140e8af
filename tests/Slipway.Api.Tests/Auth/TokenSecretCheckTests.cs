using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Auth;

/// <summary>The token check compares secrets exactly as <see cref="TokenSecret.Matches"/> does.</summary>
public sealed class TokenSecretCheckTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task RightSecret_IsAccepted_AnyOtherSecretOfTheSameId_IsNot()
    {
        var ct = TestContext.Current.CancellationToken;
        var token = await factory.CreateTokenAsync(ApiAbility.Read);
        var (id, secret) = Split(token);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(token, ct));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync($"{id}|{secret[..^1]}{(secret[^1] == 'a' ? 'b' : 'a')}", ct));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync($"{id}|{secret}x", ct));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync($"{id}|{secret.ToUpperInvariant()}é", ct));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(token, ct));
    }

    [Fact]
    public async Task StoredHashNotLowerCaseHex_NeverMatches()
    {
        var ct = TestContext.Current.CancellationToken;
        var token = await factory.CreateTokenAsync(ApiAbility.Read, name: "upper");
        var (id, _) = Split(token);
        await using (var db = factory.CreateDbContext())
        {
            var row = await db.ApiTokens.SingleAsync(t => t.Id == id, ct);
            row.TokenHash = row.TokenHash.ToUpperInvariant();
            await db.SaveChangesAsync(ct);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(token, ct));
    }

    private async Task<HttpStatusCode> StatusAsync(string token, CancellationToken ct) =>
        (await factory.ClientWith(token).GetAsync("/api/v1/version", ct)).StatusCode;

    private static (long Id, string Secret) Split(string token)
    {
        var bar = token.IndexOf('|', StringComparison.Ordinal);
        return (long.Parse(token[..bar], System.Globalization.CultureInfo.InvariantCulture), token[(bar + 1)..]);
    }
}
