using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Features.Applications;
using Slipway.Api.Http;
using Slipway.Core.Common;
using Slipway.Core.Previews;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Previews;

/// <summary>An application's pull request previews: list them, and delete one on demand (as closing the PR does).</summary>
internal static class PreviewsEndpoints
{
    public const string NotFoundMessage = "Preview not found.";

    public static RouteGroupBuilder MapPreviews(this RouteGroupBuilder group)
    {
        group.MapGet("/{uuid}/previews", ListAsync).WithName("list-application-previews")
            .WithSummary("The application's pull request previews (Slipway addition).").RequireAbility(ApiAbility.Read);
        group.MapDelete("/{uuid}/previews/{pull_request_id}", DeleteAsync).WithName("delete-preview-deployment-by-pull-request-id")
            .WithSummary("Delete a preview: cancel its deployments, remove its containers and images, delete the record.")
            .RequireAbility(ApiAbility.Write);
        return group;
    }

    private static async Task<Results<Ok<List<PreviewResponse>>, NotFound<ErrorResponse>>> ListAsync(string uuid, HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var previews = await db.ApplicationPreviews.AsNoTracking().Where(p => p.ApplicationId == application.Id)
            .OrderBy(p => p.PullRequestId).ToListAsync(cancellationToken);
        return ApiResults.Ok(previews.Select(p => PreviewResponse.From(p, application.Uuid)).ToList());
    }

    private static async Task<Results<Ok<PreviewDeletedResponse>, NotFound<ErrorResponse>, UnprocessableEntity<ValidationErrorResponse>>> DeleteAsync(
        string uuid, [FromRoute(Name = "pull_request_id")] string pullRequestId, HttpContext http, SlipwayDbContext db, PreviewService previews, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        if (!int.TryParse(pullRequestId, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            return ApiResults.Validation("pull_request_id", "Invalid pull_request_id.");
        }

        if (!await db.ApplicationPreviews.AnyAsync(p => p.ApplicationId == application.Id && p.PullRequestId == number, cancellationToken))
        {
            return ApiResults.NotFound(NotFoundMessage);
        }

        var removal = await previews.RemoveAsync(application, number, "Deployment cancelled: the preview was deleted.", cancellationToken);
        return ApiResults.Ok(new PreviewDeletedResponse(
            $"Preview of pull request #{number} deleted: {removal.CancelledDeployments.Count} deployment(s) cancelled, its containers and images removed.",
            removal.CancelledDeployments));
    }
}

public sealed record PreviewDeletedResponse(string Message, IReadOnlyList<string> CancelledDeployments);

/// <summary>A preview on the wire: Coolify's <c>application_previews</c> fields plus Slipway's port and source ref.</summary>
public sealed record PreviewResponse(
    string Uuid,
    string ApplicationUuid,
    int PullRequestId,
    string? PullRequestHtmlUrl,
    string? GitType,
    string? Fqdn,
    int Port,
    string? SourceRef,
    string? Commit,
    string Status,
    string CreatedAt,
    string UpdatedAt)
{
    public static PreviewResponse From(ApplicationPreview p, string applicationUuid) => new(
        p.Uuid, applicationUuid, p.PullRequestId, p.PullRequestHtmlUrl, p.GitType, p.Fqdn, p.Port, p.SourceRef, p.Commit, p.Status,
        Timestamps.ToWire(p.CreatedAt), Timestamps.ToWire(p.UpdatedAt));
}
