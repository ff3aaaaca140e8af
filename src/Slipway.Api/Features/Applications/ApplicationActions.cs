using Slipway.Api.Auth;
using Slipway.Api.Features.Deployments;
using Slipway.Api.Http;
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
            .RequireAbility(ApiAbility.Deploy);
        foreach (var action in new[] { "start", "restart", "stop" })
        {
            group.MapGet($"/{{uuid}}/{action}", DeployEndpoints.PostRequired).ExcludeFromDescription().RequireAbility(ApiAbility.Deploy);
        }

        return group;
    }

    private static async Task<IResult> StartAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var force = IsTrue(http.Request.Query["force"]);
        return await QueueAsync(uuid, http, s, new DeploymentRequest { ForceRebuild = force, IsApi = true }, "Deployment request queued.", cancellationToken);
    }

    private static Task<IResult> RestartAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken) =>
        QueueAsync(uuid, http, s, new DeploymentRequest { RestartOnly = true, IsApi = true }, "Restart request queued.", cancellationToken);

    private static async Task<IResult> StopAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
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

    private static async Task<IResult> RollbackAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var body = await JsonBody.ReadAsync<RollbackRequest>(http.Request, null, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var commit = body.Value!.Commit?.Trim();
        if (string.IsNullOrEmpty(commit))
        {
            return ApiResults.Validation("commit", "The commit field is required.");
        }

        var error = commit == "HEAD" ? "Roll back to a specific commit, not HEAD." : GitRules.CheckCommit(commit);
        if (error is not null)
        {
            return ApiResults.Validation("commit", error);
        }

        var request = new DeploymentRequest { Commit = commit, Rollback = true, IsApi = true };
        return await QueueForAsync(application, http, s, request, "Rollback deployment queued.", cancellationToken);
    }

    private static async Task<IResult> QueueAsync(
        string uuid, HttpContext http, ApplicationServices s, DeploymentRequest request, string message, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, http.Caller().TeamId, cancellationToken);
        return application is null
            ? ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage)
            : await QueueForAsync(application, http, s, request, message, cancellationToken);
    }

    private static async Task<IResult> QueueForAsync(
        Application application, HttpContext http, ApplicationServices s, DeploymentRequest request, string message, CancellationToken cancellationToken)
    {
        var target = await DeploymentTargets.LoadAsync(s.Db, application, cancellationToken);
        var result = await s.Queue.EnqueueAsync(target, request, cancellationToken);
        return result.Outcome switch
        {
            // Coolify ignores a full queue here and hands out a uuid that was never stored; Slipway says 429.
            EnqueueOutcome.QueueFull => DeployEndpoints.QueueFull(http),
            EnqueueOutcome.Duplicate => ApiResults.Ok(new QueuedResponse(EnqueueResult.DuplicateMessage, result.Deployment!.Uuid)),
            _ => ApiResults.Ok(new QueuedResponse(message, result.Deployment!.Uuid)),
        };
    }

    private static bool IsTrue(string? value) =>
        value?.Trim().ToLowerInvariant() is "1" or "true" or "on" or "yes";

    public sealed class RollbackRequest
    {
        public string? Commit { get; set; }
    }

    public sealed record QueuedResponse(string Message, string DeploymentUuid);
}
