using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Common;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Auth;

/// <summary>
/// Tokens change under a running host: they expire, and a team deletion or a revocation made by another process
/// (the admin CLI on the same database) takes effect once the short-lived token cache has lapsed.
/// </summary>
public sealed class TokenLifetimeTests(FakeClockApiFactory factory) : IClassFixture<FakeClockApiFactory>
{
    private static readonly TimeSpan PastCache = ApiTokenService.CacheLifetime + TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task Request_TokenPassesItsExpiry_Returns401()
    {
        var teamId = await factory.CreateTeamAsync("expiring");
        var token = await factory.CreateTokenAsync(ApiAbility.Root, teamId, factory.Clock.GetUtcNow().UtcDateTime.AddHours(1));
        var client = factory.ClientWith(token);
        await JsonAsync(await client.GetAsync("/api/v1/tokens/current"), HttpStatusCode.OK);

        factory.Clock.Advance(TimeSpan.FromHours(1));

        await MessageAsync(await client.GetAsync("/api/v1/tokens/current"), HttpStatusCode.Unauthorized, "Unauthenticated.");
    }

    [Fact]
    public async Task Request_TeamDeletedAfterTokenWasUsed_Returns400OnceCacheLapsed()
    {
        var teamId = await factory.CreateTeamAsync("deleted-later");
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Root, teamId));
        await JsonAsync(await client.GetAsync("/api/v1/deployments"), HttpStatusCode.OK);
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(1, await db.Teams.Where(t => t.Id == teamId).ExecuteDeleteAsync(Ct));
        }

        factory.Clock.Advance(PastCache);

        await MessageAsync(await client.GetAsync("/api/v1/deployments"), HttpStatusCode.BadRequest, "Invalid token.");
    }

    [Fact]
    public async Task Request_RevokedByAnotherProcess_Returns401OnceCacheLapsed()
    {
        var teamId = await factory.CreateTeamAsync("revoked-elsewhere");
        var token = await factory.CreateTokenAsync(ApiAbility.Root, teamId);
        var client = factory.ClientWith(token);
        await JsonAsync(await client.GetAsync("/api/v1/deployments"), HttpStatusCode.OK);
        var id = long.Parse(token[..token.IndexOf('|', StringComparison.Ordinal)]);
        await using (var db = factory.CreateDbContext())
        {
            await db.ApiTokens.Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, DateTime.UtcNow), Ct);
        }

        factory.Clock.Advance(PastCache);

        await MessageAsync(await client.GetAsync("/api/v1/deployments"), HttpStatusCode.Unauthorized, "Unauthenticated.");
    }

    [Fact]
    public async Task Request_ValidToken_RecordsLastUsedAt()
    {
        var teamId = await factory.CreateTeamAsync("used");
        var token = await factory.CreateTokenAsync(ApiAbility.Read, teamId);
        var id = long.Parse(token[..token.IndexOf('|', StringComparison.Ordinal)]);

        await JsonAsync(await factory.ClientWith(token).GetAsync("/api/v1/deployments"), HttpStatusCode.OK);

        await using var db = factory.CreateDbContext();
        var lastUsed = await db.ApiTokens.Where(t => t.Id == id).Select(t => t.LastUsedAt).SingleAsync(Ct);
        Assert.Equal(Timestamps.Now(factory.Clock), lastUsed);
    }
}
