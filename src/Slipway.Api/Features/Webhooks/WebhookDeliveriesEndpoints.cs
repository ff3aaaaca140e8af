using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Features.Applications;
using Slipway.Api.Http;
using Slipway.Core.Common;
using Slipway.Core.Tokens;
using Slipway.Core.Webhooks;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Webhooks;

/// <summary>
/// <c>GET /applications/{uuid}/webhook-deliveries</c>: what each verified git delivery for the application did, newest
/// first; <c>…/webhook-deliveries/refused</c>: the deliveries naming its repository that no secret verified, kept apart.
/// </summary>
internal static class WebhookDeliveriesEndpoints
{
    public static RouteGroupBuilder MapWebhookDeliveries(this RouteGroupBuilder group)
    {
        group.MapGet("/{uuid}/webhook-deliveries", ListAsync).WithName("list-application-webhook-deliveries")
            .WithSummary("The application's webhook deliveries, newest first (Slipway addition).").RequireAbility(ApiAbility.Read);
        group.MapGet("/{uuid}/webhook-deliveries/refused", ListRefusedAsync).WithName("list-application-refused-webhook-deliveries")
            .WithSummary("Deliveries naming the application's repository that no secret verified, newest first (Slipway addition).")
            .RequireAbility(ApiAbility.Read);
        return group;
    }

    private static async Task<Results<Ok<WebhookDeliveriesResponse>, NotFound<ErrorResponse>>> ListAsync(string uuid, HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var rows = await db.WebhookDeliveries.AsNoTracking().Where(d => d.ApplicationId == application.Id)
            .OrderByDescending(d => d.Id).Take(WebhookDeliveryLog.KeptPerApplication).ToListAsync(cancellationToken);
        return ApiResults.Ok(new WebhookDeliveriesResponse(rows.Count, rows.Select(WebhookDeliveryResponse.From).ToList()));
    }

    private static async Task<Results<Ok<RefusedWebhookDeliveriesResponse>, NotFound<ErrorResponse>>> ListRefusedAsync(string uuid, HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var rows = await db.RefusedWebhookDeliveries.AsNoTracking().Where(d => d.ApplicationId == application.Id)
            .OrderByDescending(d => d.Id).ToListAsync(cancellationToken);
        return ApiResults.Ok(new RefusedWebhookDeliveriesResponse(rows.Count, rows.Select(RefusedWebhookDeliveryResponse.From).ToList()));
    }
}

public sealed record WebhookDeliveriesResponse(int Count, IReadOnlyList<WebhookDeliveryResponse> Deliveries);

public sealed record WebhookDeliveryResponse(
    long Id,
    string Provider,
    string Event,
    string? Action,
    string DeliveryId,
    string? Repository,
    string? Branch,
    int? PullRequestId,
    string? Commit,
    bool Verified,
    string Result,
    string Message,
    int StatusCode,
    IReadOnlyList<string> DeploymentUuids,
    string CreatedAt)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d) => new(
        d.Id, d.Provider, d.Event, d.Action, d.DeliveryId, d.Repository, d.Branch, d.PullRequestId, d.Commit, d.Verified, d.Result, d.Message,
        d.StatusCode, d.DeploymentUuids?.Split(',') ?? [], Timestamps.ToWire(d.CreatedAt));
}

public sealed record RefusedWebhookDeliveriesResponse(int Count, IReadOnlyList<RefusedWebhookDeliveryResponse> Deliveries);

public sealed record RefusedWebhookDeliveryResponse(
    long Id,
    string Provider,
    string Event,
    string DeliveryId,
    string? Repository,
    string? SourceAddress,
    string Result,
    string Message,
    int StatusCode,
    string CreatedAt)
{
    public static RefusedWebhookDeliveryResponse From(RefusedWebhookDelivery d) => new(
        d.Id, d.Provider, d.Event, d.DeliveryId, d.Repository, d.SourceAddress, d.Result, d.Message, d.StatusCode, Timestamps.ToWire(d.CreatedAt));
}
