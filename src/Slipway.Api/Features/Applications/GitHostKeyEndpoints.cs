using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Applications;

/// <summary>
/// <c>DELETE /applications/{uuid}/git-host-key</c> (Slipway addition): forgets the git host's SSH key pinned by the
/// application's first deployment over SSH, for when the host's key really changed; the next deployment pins the key
/// it then sees.
/// </summary>
internal static class GitHostKeyEndpoints
{
    public const string ForgottenMessage = "The pinned git host key was forgotten: the next deployment pins the key the host presents then.";

    public static RouteGroupBuilder MapGitHostKey(this RouteGroupBuilder group)
    {
        group.MapDelete("/{uuid}/git-host-key", ResetAsync).WithName("reset-application-git-host-key")
            .WithSummary("Forget the git host's SSH key pinned for the application (Slipway addition).").RequireAbility(ApiAbility.Write);
        return group;
    }

    private static async Task<Results<Ok<MessageResponse>, NotFound<ErrorResponse>>> ResetAsync(string uuid, HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        await db.Applications.Where(a => a.Id == application.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.GitHostKeys, (string?)null), cancellationToken);
        return ApiResults.Message(ForgottenMessage);
    }
}
