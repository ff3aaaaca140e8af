using Microsoft.AspNetCore.Http.HttpResults;
using Slipway.Api.Auth;
using Slipway.Api.Features.Servers;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Common;
using Slipway.Core.Proxy;
using Slipway.Core.Servers;
using Slipway.Core.Tokens;
using Slipway.Core.Validation;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Proxy;

/// <summary>
/// <c>/servers/{uuid}/proxy</c> and <c>/servers/{uuid}/domains</c>: the server's edge proxy (Caddy) as Coolify's API
/// shows it. Changes are stored, then the proxy is reconciled in the background; <c>GET</c> shows the outcome.
/// </summary>
public static class ServerProxyEndpoints
{
    public const string RestartQueuedMessage = "Proxy restart queued.";
    public const string ProxyOffMessage = "The proxy of this server is off (proxy_type NONE): turn it on with PATCH /servers/{uuid}/proxy first.";

    public static RouteGroupBuilder MapServerProxyEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/servers/{uuid}").WithTags("Servers");
        group.MapGet("/proxy", GetAsync).WithName("get-server-proxy").WithSummary("Get the server's proxy settings and status.")
            .RequireAbility(ApiAbility.Read);
        group.MapPatch("/proxy", UpdateAsync).WithName("update-server-proxy").WithSummary("Change the server's proxy settings.")
            .RequireAbility(ApiAbility.Write).AcceptsFields(ServerProxyTable.Update);
        group.MapPost("/proxy/restart", RestartAsync).WithName("restart-server-proxy").WithSummary("Create the proxy container anew and push its configuration.")
            .RequireAbility(ApiAbility.Write);
        group.MapPut("/proxy/configuration", SaveConfigurationAsync).WithName("save-server-proxy-configuration")
            .WithSummary("Refused: Slipway renders the proxy configuration itself.").RequireAbility(ApiAbility.Write);
        group.MapGet("/domains", DomainsAsync).WithName("get-domains-by-server-uuid").WithSummary("List the host names routed to the server.")
            .RequireAbility(ApiAbility.Read);
        return group;
    }

    internal static async Task<Results<Ok<ServerProxyResponse>, NotFound<ErrorResponse>>> GetAsync(
        string uuid, HttpContext http, SlipwayDbContext db, IProxyStore store, IProxyService proxies, CancellationToken cancellationToken)
    {
        var server = await ServersEndpoints.FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (server is null)
        {
            return ApiResults.NotFound(ServersEndpoints.NotFoundMessage);
        }

        return TypedResults.Ok(await DescribeAsync(server, http, store, proxies, cancellationToken));
    }

    internal static async Task<Results<Ok<ServerProxyResponse>, NotFound<ErrorResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>>> UpdateAsync(
        string uuid, HttpContext http, SlipwayDbContext db, IProxyStore store, IProxyService proxies, TimeProvider clock, CancellationToken cancellationToken)
    {
        var server = await ServersEndpoints.FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (server is null)
        {
            return ApiResults.NotFound(ServersEndpoints.NotFoundMessage);
        }

        var body = await WireBody<ServerProxy>.ReadAsync(http.Request, ServerProxyTable.Update, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var wasEnabled = server.Proxy.IsEnabled;
        var errors = new ValidationErrors();
        body.Apply(server.Proxy, errors);
        ServerProxyTable.CheckDistinctPorts(server.Proxy, errors);
        if (errors.HasErrors)
        {
            // Nothing is saved: the tracked server is dropped with the request.
            return errors.ToResult();
        }

        server.UpdatedAt = Timestamps.Now(clock);
        await db.SaveChangesAsync(cancellationToken);
        if (wasEnabled || server.Proxy.IsEnabled)
        {
            proxies.RequestReconcile(server.Id);
        }

        return TypedResults.Ok(await DescribeAsync(server, http, store, proxies, cancellationToken));
    }

    internal static async Task<Results<Ok<MessageResponse>, NotFound<ErrorResponse>, BadRequest<ErrorResponse>>> RestartAsync(
        string uuid, HttpContext http, SlipwayDbContext db, IProxyService proxies, CancellationToken cancellationToken)
    {
        var server = await ServersEndpoints.FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (server is null)
        {
            return ApiResults.NotFound(ServersEndpoints.NotFoundMessage);
        }

        if (!server.Proxy.IsEnabled)
        {
            return ApiResults.BadRequest(ProxyOffMessage);
        }

        proxies.RequestReconcile(server.Id, restart: true);
        return TypedResults.Ok(new MessageResponse(RestartQueuedMessage));
    }

    private static async Task<Results<NotFound<ErrorResponse>, UnprocessableEntity<ValidationErrorResponse>>> SaveConfigurationAsync(
        string uuid, HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var server = await ServersEndpoints.FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (server is null)
        {
            return ApiResults.NotFound(ServersEndpoints.NotFoundMessage);
        }

        return ApiResults.Validation("configuration",
            "Slipway renders the proxy configuration from the server's applications and proxy settings and owns it: change those instead.");
    }

    private static async Task<Results<Ok<IReadOnlyList<ServerDomainsResponse>>, NotFound<ErrorResponse>>> DomainsAsync(
        string uuid, HttpContext http, SlipwayDbContext db, IProxyStore store, CancellationToken cancellationToken)
    {
        var server = await ServersEndpoints.FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (server is null)
        {
            return ApiResults.NotFound(ServersEndpoints.NotFoundMessage);
        }

        var state = await store.LoadAsync(server.Id, cancellationToken);
        var hosts = (state?.Applications ?? [])
            .SelectMany(a => DomainRules.ParseStored(a.Application.Fqdn).Concat(a.Previews.SelectMany(p => DomainRules.ParseStored(p.Fqdn))))
            .Select(d => d.Host)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        IReadOnlyList<ServerDomainsResponse> answer = hosts.Count == 0 ? [] : [new ServerDomainsResponse(server.Ip, hosts)];
        return TypedResults.Ok(answer);
    }

    private static async Task<ServerProxyResponse> DescribeAsync(Server server, HttpContext http, IProxyStore store, IProxyService proxies, CancellationToken cancellationToken)
    {
        var state = await store.LoadAsync(server.Id, cancellationToken);
        var plan = (state ?? new ProxyState(server, [])).Plan();
        // The real container, also when the proxy is off (one left running shows as such).
        var runtime = await proxies.InspectAsync(server, plan, cancellationToken);
        return ServerProxyResponse.From(server, plan, runtime, proxies.LastResult(server.Id), proxies.RunningVersion(server.Id), http.CanReadSensitive());
    }
}
