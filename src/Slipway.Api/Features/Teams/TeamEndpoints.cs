using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Teams;

public static class TeamEndpoints
{
    public static RouteGroupBuilder MapTeamEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/team", GetAsync).WithName("get-token-team").WithTags("Teams")
            .WithSummary("The team the API token belongs to.").RequireAbility(ApiAbility.Read);
        return api;
    }

    private static async Task<Results<Ok<TeamResponse>, BadRequest<ErrorResponse>>> GetAsync(HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var teamId = http.Caller().TeamId;
        var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == teamId, cancellationToken);

        // The token check already refuses tokens of deleted teams; this covers a team deleted mid-request.
        return team is null ? ApiResults.BadRequest("Invalid token.") : ApiResults.Ok(TeamResponse.From(team));
    }
}
