using Microsoft.AspNetCore.Http.HttpResults;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Core.Common;
using Slipway.Core.Tokens;

namespace Slipway.Api.Features.Tokens;

/// <summary>Beyond Coolify: lets a client ask what its token may do instead of learning it from 403s.</summary>
public static class TokensEndpoints
{
    public static RouteGroupBuilder MapTokensEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/tokens/current", Current).WithName("get-current-token").WithTags("Tokens")
            .WithSummary("The calling token's name, team, abilities and expiry (never its secret).");
        return api;
    }

    private static Ok<CurrentTokenResponse> Current(HttpContext http)
    {
        var caller = http.Caller();
        return ApiResults.Ok(new CurrentTokenResponse(
            caller.TokenId,
            caller.Name,
            caller.TeamId,
            ApiAbilities.ToList(caller.Abilities),
            caller.ExpiresAt is null ? null : Timestamps.ToWire(caller.ExpiresAt.Value)));
    }
}

public sealed record CurrentTokenResponse(long Id, string Name, long TeamId, IReadOnlyList<string> Abilities, string? ExpiresAt);
