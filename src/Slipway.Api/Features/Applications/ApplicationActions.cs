using Microsoft.AspNetCore.Http.HttpResults;
using Slipway.Api.Auth;
using Slipway.Api.Features.Deployments;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using Slipway.Core.Validation;

namespace Slipway.Api.Features.Applications;

/// <summary>Start, restart, stop and rollback: actions that queue deployments or stop containers.</summary>
internal static class ApplicationActions
{
    public static RouteGroupBuilder MapApplicationActions(this RouteGroupBuilder group)
    {
        group.MapPost("/{uuid}/start", StartAsync).WithName("start-application-by-uuid").WithSummary("Queue a deployment.")
            .RequireAbility(ApiAbility.Deploy);
        group.MapPost("/{uuid}/restart", RestartAsync).WithName("restart-application-by-uuid").WithSummary("Queue a restart (no rebuild).")
            .RequireAbility(ApiAbility.Deploy);
        group.MapPost("/{uuid}/stop", StopAsync).WithName("stop-application-by-uuid").WithSummary("Stop the application's containers.")
            .RequireAbility(ApiAbility.Deploy);
        group.MapPost("/{uuid}/rollback", RollbackAsync).WithName("rollback-application-by-uuid").WithSummary("Queue a rollback to an earlier commit.")
            .RequireAbility(ApiAbility.Deploy).AcceptsFields(RollbackFields);
        foreach (var action in new[] { "start", "restart", "stop" })
        {
            group.MapGet($"/{{uuid}}/{action}", DeployEndpoints.PostRequired).ExcludeFromDescription().RequireAbility(ApiAbility.Deploy);
        }

        return group;
    }

    private static async Task<Results<Ok<QueuedResponse>, NotFound<ErrorResponse>, TooManyRequestsError>> StartAsync(
        string uuid, string? force, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        return await QueueAsync(uuid, http, s, new DeploymentRequest { ForceRebuild = IsTrue(force), IsApi = true }, "Deployment request queued.", cancellationToken);
    }

    private static Task<Results<Ok<QueuedResponse>, NotFound<ErrorResponse>, TooManyRequestsError>> RestartAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken) =>
        QueueAsync(uuid, http, s, new DeploymentRequest { RestartOnly = true, IsApi = true }, "Restart request queued.", cancellationToken);

    private static async Task<Results<Ok<MessageResponse>, NotFound<ErrorResponse>>> StopAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, http.Caller().TeamId, cancellationToken, tracked: true);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        await s.Runtime.StopAsync(application, cancellationToken);
        application.Status = "exited";
        await s.Db.SaveChangesAsync(cancellationToken);
        return ApiResults.Message("Application stopping request queued.");
    }

    private static async Task<Results<Ok<QueuedResponse>, NotFound<ErrorResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>, TooManyRequestsError>> RollbackAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var body = await WireBody<object>.ReadAsync(http.Request, RollbackFields, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var errors = new ValidationErrors();
        body.Validate(application, errors);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        var commit = body.Text(Commit)!.Trim();
        var request = new DeploymentRequest { Commit = commit, Rollback = true, IsApi = true };
        var (queued, full) = await QueueForAsync(application, s, request, "Rollback deployment queued.", cancellationToken);
        return full is null ? queued! : full;
    }

    private static async Task<Results<Ok<QueuedResponse>, NotFound<ErrorResponse>, TooManyRequestsError>> QueueAsync(
        string uuid, HttpContext http, ApplicationServices s, DeploymentRequest request, string message, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var (queued, full) = await QueueForAsync(application, s, request, message, cancellationToken);
        return full is null ? queued! : full;
    }

    /// <summary>The queued (or already queued) deployment, or the full queue's 429.</summary>
    private static async Task<(Ok<QueuedResponse>? Queued, TooManyRequestsError? Full)> QueueForAsync(
        Application application, ApplicationServices s, DeploymentRequest request, string message, CancellationToken cancellationToken)
    {
        var target = await DeploymentTargets.LoadAsync(s.Db, application, cancellationToken);
        var result = await s.Queue.EnqueueAsync(target, request, cancellationToken);
        return result.Outcome switch
        {
            // Coolify ignores a full queue here and hands out a uuid that was never stored; Slipway says 429.
            EnqueueOutcome.QueueFull => (null, DeployEndpoints.QueueFull()),
            EnqueueOutcome.Duplicate => (ApiResults.Ok(new QueuedResponse(EnqueueResult.DuplicateMessage, result.Deployment!.Uuid)), null),
            _ => (ApiResults.Ok(new QueuedResponse(message, result.Deployment!.Uuid)), null),
        };
    }

    private static bool IsTrue(string? value) =>
        value?.Trim().ToLowerInvariant() is "1" or "true" or "on" or "yes";

    /// <summary>The commit to roll back to: a commit of the repository, not <c>HEAD</c> (that is a deploy, not a rollback).</summary>
    public static readonly WireField<object> Commit = WireField<object>.Text(
        "commit",
        (v, f) => string.IsNullOrEmpty(v?.Trim()) ? $"The {f} field is required." : v.Trim() == "HEAD" ? "Roll back to a specific commit, not HEAD." : GitRules.CheckCommit(v.Trim()),
        null).WriteOnly();

    /// <summary>Body of <c>POST /applications/{uuid}/rollback</c>.</summary>
    public static readonly WireFields<object> RollbackFields = new("RollbackApplicationRequest", [Commit], required: [Commit]);

    public sealed record QueuedResponse(string Message, string DeploymentUuid);
}
