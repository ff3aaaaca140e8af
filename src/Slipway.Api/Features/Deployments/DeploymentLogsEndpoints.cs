using Microsoft.AspNetCore.Http.HttpResults;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Deployments;

namespace Slipway.Api.Features.Deployments;

/// <summary>
/// <c>GET /deployments/{uuid}/logs</c> (beyond Coolify; its clients never call it): a deployment's log entries
/// after an order, as a JSON page or — with <c>Accept: text/event-stream</c> — as a live stream
/// (<see cref="DeploymentEvents"/>). It needs what seeing <c>logs</c> needs: <c>read:sensitive</c> or <c>root</c>; a
/// signed-in dashboard user who may read follows it with the session cookie (the dashboard's live log).
/// </summary>
public static class DeploymentLogsEndpoints
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10_000;

    /// <summary>How often an idle stream gets a <c>: keep-alive</c> comment (<c>Slipway:Logs:KeepAliveInterval</c>).</summary>
    public static readonly TimeSpan DefaultKeepAlive = TimeSpan.FromSeconds(15);

    public static RouteGroupBuilder MapDeploymentLogsEndpoints(this RouteGroupBuilder deployments)
    {
        deployments.MapGet("/{uuid}/logs", GetLogsAsync).WithName("get-deployment-logs-by-uuid")
            .WithSummary("Log entries after ?after=ORDER (at most ?limit=N, default 1000, max 10000), or a live event stream with Accept: text/event-stream.")
            .RequireAbility(ApiAbility.ReadSensitive).AllowSessions().WithQueryParameters("after", "limit")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The same 200 as a live stream of server-sent events (`entry` and `status` events) when asked for one.
                operation.Responses!["200"].Content![DeploymentEvents.ContentType] = new Microsoft.OpenApi.OpenApiMediaType
                {
                    Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String },
                };
                return Task.CompletedTask;
            });
        return deployments;
    }

    private static async Task<Results<DeploymentLogPage, DeploymentEvents, NotFound<ErrorResponse>, UnprocessableEntity<ValidationErrorResponse>>> GetLogsAsync(
        string uuid, HttpContext http, SlipwayDbContext db, DeploymentLogFeed feed, DeploymentRowCache rows, IConfiguration configuration)
    {
        var stream = http.Request.Headers.Accept.Any(a => a?.Contains(DeploymentEvents.ContentType, StringComparison.OrdinalIgnoreCase) == true);
        var errors = new ValidationErrors();
        var after = QueryIntegers.Read(http.Request.Query["after"], "after", 0, 0, int.MaxValue, errors);
        var limit = QueryIntegers.Read(http.Request.Query["limit"], "limit", DefaultLimit, 1, MaxLimit, errors);
        if (stream && http.Request.Headers.TryGetValue("Last-Event-ID", out var lastEventId) && !string.IsNullOrWhiteSpace(lastEventId))
        {
            // An EventSource resuming sends the id of the last entry it received; it wins over ?after=.
            after = QueryIntegers.Read(lastEventId.ToString().Trim(), "Last-Event-ID", 0, 0, int.MaxValue, errors);
        }

        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        var deployment = PublicId.IsPlausible(uuid) ? await DeploymentReads.FindAsync(db, rows, uuid, http.Caller().TeamId) : null;
        if (deployment is null)
        {
            return ApiResults.NotFound(DeploymentsEndpoints.NotFoundMessage);
        }

        if (stream)
        {
            var keepAlive = configuration.GetValue("Slipway:Logs:KeepAliveInterval", DefaultKeepAlive);
            return new DeploymentEvents(deployment.Id, after, keepAlive);
        }

        // Status first (read with the deployment above), then whether anyone still writes — here, or on the instance
        // that runs it (log_complete, read with the status) — then the page's bounds: "complete" is never true too
        // early. The rows are streamed by the result, up to the bounds read here.
        var status = deployment.Status;
        var writing = feed.IsWriting(deployment.Id) || (!deployment.LogComplete && deployment.InstanceGeneration is not null);
        var (lastOrder, hasMore) = await DeploymentLogReads.PageBoundsAsync(db, deployment.Id, after, limit);
        return new DeploymentLogPage(
            new DeploymentLogsResponse(deployment.Uuid, status.ToWire(), status.IsTerminal() && !writing && !hasMore, hasMore, lastOrder, []),
            deployment.Id,
            after);
    }
}
