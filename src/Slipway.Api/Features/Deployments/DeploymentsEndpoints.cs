using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Deployments;

namespace Slipway.Api.Features.Deployments;

public static class DeploymentsEndpoints
{
    public const string NotFoundMessage = "Deployment not found.";

    /// <summary>The most deployments <c>GET /deployments/applications/{uuid}</c> answers at once; a larger <c>take</c> is clamped.</summary>
    public const int MaxTake = 100;

    public static RouteGroupBuilder MapDeploymentsEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/deployments").WithTags("Deployments");
        group.MapGet("", ListAsync).WithName("list-deployments").WithSummary("List queued and running deployments.")
            .RequireAbility(ApiAbility.Read);
        group.MapGet("/{uuid}", GetAsync).WithName("get-deployment-by-uuid")
            .WithSummary("Get a deployment by uuid; with ?wait=SECONDS&status=SEEN, as soon as its status is no longer SEEN.")
            .RequireAbility(ApiAbility.Read).WithQueryParameters("wait", "status");
        group.MapPost("/{uuid}/cancel", CancelAsync).WithName("cancel-deployment-by-uuid").WithSummary("Cancel a queued or running deployment.")
            .RequireAbility(ApiAbility.Deploy);
        group.MapGet("/applications/{uuid}", ListByApplicationAsync).WithName("list-deployments-by-app-uuid")
            .WithSummary("An application's deployments, newest first (?skip, ?take: default 10, at most 100).").RequireAbility(ApiAbility.Read);
        group.MapDeploymentLogsEndpoints();
        return group;
    }

    internal static async Task<Results<Ok<List<DeploymentResponse>>, DeploymentsWithLogs>> ListAsync(HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        var active = await db.Deployments.AsNoTracking()
            .Where(d => d.TeamId == caller.TeamId && (d.Status == DeploymentStatus.Queued || d.Status == DeploymentStatus.InProgress))
            .OrderBy(d => d.Id)
            .ToListAsync(cancellationToken);
        return DeploymentReads.Answer(active, http.CanReadSensitive());
    }

    internal static async Task<Results<Ok<DeploymentResponse>, Utf8JsonResult, DeploymentsWithLogs, NotFound<ErrorResponse>, UnprocessableEntity<ValidationErrorResponse>>> GetAsync(
        string uuid, HttpContext http, DeploymentLogFeed feed, IDbContextFactory<SlipwayDbContext> contexts, TimeProvider clock,
        DeploymentRowCache rows, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var wait = DeploymentWait.Read(http.Request.Query, errors);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        if (!PublicId.IsPlausible(uuid))
        {
            return ApiResults.NotFound(NotFoundMessage);
        }

        var teamId = http.Caller().TeamId;
        var sensitive = http.CanReadSensitive();
        if (wait is null && !sensitive && DeploymentReads.TryCachedPublicAnswer(rows, uuid, teamId) is { } answer)
        {
            // A client polling an unchanged deployment: the answer as it was serialised the first time.
            return new Utf8JsonResult(answer);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deployment = await DeploymentReads.FindAsync(db, rows, uuid, teamId);
        if (deployment is not null && wait is not null && deployment.Status == wait.Seen)
        {
            await DeploymentWait.WaitAsync(feed, db, deployment.Id, wait, clock, cancellationToken);
            deployment = await DeploymentReads.FindAsync(db, rows, uuid, teamId);
        }

        return deployment is null ? ApiResults.NotFound(NotFoundMessage)
            : sensitive ? DeploymentsWithLogs.One(deployment)
            : ApiResults.Ok(DeploymentResponse.From(deployment, null));
    }

    internal static async Task<Results<Ok<CancelDeploymentResponse>, NotFound<ErrorResponse>, BadRequest<ErrorResponse>>> CancelAsync(
        string uuid, HttpContext http, SlipwayDbContext db, DeploymentQueue queue, CancellationToken cancellationToken)
    {
        // Another team's deployment is answered exactly like one that does not exist, as GET answers it (Coolify
        // answers 403 here, which tells a caller that the uuid exists).
        var caller = http.Caller();
        var deployment = PublicId.IsPlausible(uuid)
            ? await db.Deployments.AsNoTracking().FirstOrDefaultAsync(
                d => d.Uuid == uuid && d.TeamId == caller.TeamId && db.Servers.Any(s => s.Id == d.ServerId && s.TeamId == caller.TeamId),
                cancellationToken)
            : null;
        if (deployment is null)
        {
            return ApiResults.NotFound(NotFoundMessage);
        }

        if (!deployment.Status.IsActive()
            || !await queue.CancelAsync(deployment, CancelReason(http, caller.Name), cancellationToken))
        {
            var current = await db.Deployments.AsNoTracking().Where(d => d.Id == deployment.Id).Select(d => d.Status).FirstAsync(cancellationToken);
            return ApiResults.BadRequest($"Deployment cannot be cancelled. Current status: {current.ToWire()}");
        }

        return ApiResults.Ok(new CancelDeploymentResponse("Deployment cancelled successfully.", deployment.Uuid, DeploymentStatuses.CancelledByUser));
    }

    private static string CancelReason(HttpContext http, string caller) =>
        SessionPrincipal.UserId(http.User) is null
            ? $"Deployment cancelled by user via API (token '{caller}')."
            : $"Deployment cancelled by {caller} from the dashboard.";

    internal static async Task<Results<Ok<ApplicationDeploymentsResponse>, DeploymentsWithLogs, NotFound<ErrorResponse>, UnprocessableEntity<ValidationErrorResponse>>> ListByApplicationAsync(
        string uuid, [FromQuery(Name = "skip")] string? skipText, [FromQuery(Name = "take")] string? takeText, HttpContext http, SlipwayDbContext db,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var skip = QueryIntegers.Read(skipText, "skip", 0, 0, int.MaxValue, errors);
        // Coolify's clients ask for at most 100; more would render that many logs for a read:sensitive caller.
        var take = Math.Min(MaxTake, QueryIntegers.Read(takeText, "take", 10, 1, int.MaxValue, errors));
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        var caller = http.Caller();
        // The application's id and its deployments' count in one round trip (the application row has some ninety
        // columns and this page needs none of them); then the page, in the order of (application_id, created_at, id).
        var application = PublicId.IsPlausible(uuid)
            ? await db.Applications.Where(a => a.Uuid == uuid && a.TeamId == caller.TeamId)
                .Select(a => new { a.Id, Count = db.Deployments.Count(d => d.ApplicationId == a.Id) })
                .FirstOrDefaultAsync(cancellationToken)
            : null;
        if (application is null)
        {
            return ApiResults.NotFound("Application not found");
        }

        var page = await db.Deployments.AsNoTracking().Where(d => d.ApplicationId == application.Id)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return http.CanReadSensitive()
            ? DeploymentsWithLogs.Page(application.Count, page)
            : ApiResults.Ok(new ApplicationDeploymentsResponse(application.Count, page.Select(d => DeploymentResponse.From(d, null)).ToList()));
    }
}

/// <summary>A <see cref="DeploymentResponse"/> serialised before (see <see cref="DeploymentReads.TryCachedPublicAnswer"/>), written as it is.</summary>
public sealed class Utf8JsonResult(byte[] json) : IResult
{
    private const string ContentType = "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = ContentType;
        httpContext.Response.ContentLength = json.Length;
        return httpContext.Response.Body.WriteAsync(json).AsTask();
    }
}
