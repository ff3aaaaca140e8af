using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Deployments;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Teams;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Auth;

public sealed class AuthenticationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly string[] BadHeaders =
    [
        "",
        "Bearer abc",
        "Bearer 1|",
        "Bearer x|y",
        "Bearer |secret",
        "Bearer 12345678901234567890|secret",
        "Bearer -1|secret",
        "Bearer 999999|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token 1|abc",
        "Bearer " + new string('7', 10_000),
    ];

    public static TheoryData<string, string> RoutesAndBadHeaders()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in AuthRoute.All)
        {
            foreach (var header in BadHeaders)
            {
                data.Add(route.Name, header);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoutesAndBadHeaders))]
    public async Task Request_MissingOrMalformedToken_Returns401Unauthenticated(string routeName, string header)
    {
        var request = AuthRoute.Named(routeName).Request("abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwy");
        if (header.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", header);
        }

        var response = await factory.ClientWith(null).SendAsync(request, Ct);

        await MessageAsync(response, HttpStatusCode.Unauthorized, "Unauthenticated.");
    }

    [Fact]
    public async Task Request_RightIdWrongSecret_Returns401()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var token = await tenant.TokenAsync(ApiAbility.Root);
        var id = token[..token.IndexOf('|', StringComparison.Ordinal)];

        foreach (var forged in new[] { $"{id}|{new string('a', 48)}", token + "x", token[..^1], $"{id}|" + token[(id.Length + 1)..].ToUpperInvariant() })
        {
            await MessageAsync(await factory.ClientWith(forged).GetAsync("/api/v1/deployments"), HttpStatusCode.Unauthorized, "Unauthenticated.");
        }

        await JsonAsync(await factory.ClientWith(token).GetAsync("/api/v1/deployments"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Request_ExpiredToken_Returns401()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var expired = await factory.CreateTokenAsync(ApiAbility.Root, tenant.TeamId, DateTime.UtcNow.AddMinutes(-1));
        var valid = await factory.CreateTokenAsync(ApiAbility.Root, tenant.TeamId, DateTime.UtcNow.AddHours(1));

        await MessageAsync(await factory.ClientWith(expired).GetAsync("/api/v1/deployments"), HttpStatusCode.Unauthorized, "Unauthenticated.");
        await JsonAsync(await factory.ClientWith(valid).GetAsync("/api/v1/deployments"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Request_RevokedToken_Returns401AtOnce()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var token = await tenant.TokenAsync(ApiAbility.Root);
        var client = factory.ClientWith(token);
        await JsonAsync(await client.GetAsync("/api/v1/deployments"), HttpStatusCode.OK);

        var id = long.Parse(token[..token.IndexOf('|', StringComparison.Ordinal)]);
        Assert.True(await factory.Services.GetRequiredService<ApiTokenService>().RevokeAsync(id, Ct));

        await MessageAsync(await client.GetAsync("/api/v1/deployments"), HttpStatusCode.Unauthorized, "Unauthenticated.");
    }

    [Theory]
    [InlineData("list-deployments")]
    [InlineData("get-deployment")]
    [InlineData("cancel-deployment")]
    [InlineData("deploy")]
    [InlineData("current-token")]
    public async Task Request_TokenOfDeletedTeam_Returns400InvalidToken(string routeName)
    {
        var teamId = await factory.CreateTeamAsync("doomed");
        var token = await factory.CreateTokenAsync(ApiAbility.Root, teamId);
        await using (var db = factory.CreateDbContext())
        {
            db.Teams.Remove(await db.Teams.FindAsync([teamId], Ct) ?? throw new InvalidOperationException());
            await db.SaveChangesAsync(Ct);
            Assert.DoesNotContain(db.Teams, t => t.Id == teamId);
        }

        var request = AuthRoute.Named(routeName).Request("abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwy");
        var response = await factory.ClientWith(token).SendAsync(request, Ct);

        await MessageAsync(response, HttpStatusCode.BadRequest, "Invalid token.");
    }

    [Fact]
    public async Task Request_RootTeamToken_IsAcceptedForRootTeam()
    {
        var client = factory.RootClient();

        var body = await JsonElementAsync(await client.GetAsync("/api/v1/tokens/current"), HttpStatusCode.OK);

        Assert.Equal(Team.RootId, body.GetProperty("team_id").GetInt64());
    }
}
