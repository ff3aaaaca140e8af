using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Features.Deployments;
using Slipway.Api.Features.PrivateKeys;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Common;
using Slipway.Core.Proxy;
using Slipway.Core.Servers;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Servers;

namespace Slipway.Api.Features.Servers;

/// <summary><c>/servers</c>: the machines of the caller's team that deployments run on.</summary>
public static partial class ServersEndpoints
{
    public const string NotFoundMessage = "Server not found.";
    public const string KeyNotFoundMessage = "Private key not found.";
    public const string DuplicateIpMessage = "Server with this IP already exists.";

    public static RouteGroupBuilder MapServersEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/servers").WithTags("Servers");
        group.MapGet("", ListAsync).WithName("list-servers").WithSummary("List the team's servers.")
            .RequireAbility(ApiAbility.Read);
        group.MapPost("", CreateAsync).WithName("create-server").WithSummary("Add a server reached over SSH.")
            .RequireAbility(ApiAbility.Write).AcceptsFields(ServerTable.Create);
        group.MapGet("/{uuid}", GetAsync).WithName("get-server-by-uuid").WithSummary("Get a server and its settings.")
            .RequireAbility(ApiAbility.Read);
        group.MapPatch("/{uuid}", UpdateAsync).WithName("update-server-by-uuid").WithSummary("Change a server's connection or deployment limits.")
            .RequireAbility(ApiAbility.Write).AcceptsFields(ServerTable.Update);
        group.MapDelete("/{uuid}", DeleteAsync).WithName("delete-server-by-uuid").WithSummary("Delete a server no application uses.")
            .RequireAbility(ApiAbility.Write);
        group.MapPost("/{uuid}/validate", ValidateAsync).WithName("validate-server-by-uuid").WithSummary("Check that the server can be used.")
            .RequireAbility(ApiAbility.Write).AcceptsFields(ServerTable.Validate);
        group.MapGet("/{uuid}/validate", DeployEndpoints.PostRequired).WithName("validate-server-get").ExcludeFromDescription()
            .RequireAbility(ApiAbility.Write);
        return group;
    }

    /// <summary>The caller's server, or null for an implausible uuid, an unknown one or another team's.</summary>
    internal static async Task<Server?> FindAsync(SlipwayDbContext db, string uuid, long teamId, CancellationToken cancellationToken) =>
        PublicId.IsPlausible(uuid)
            ? await db.Servers.FirstOrDefaultAsync(s => s.Uuid == uuid && s.TeamId == teamId, cancellationToken)
            : null;

    private static Task<bool> IpTakenAsync(SlipwayDbContext db, long teamId, string ip, long exceptId, CancellationToken cancellationToken) =>
        db.Servers.AnyAsync(s => s.TeamId == teamId && s.Ip == ip && s.Id != exceptId, cancellationToken);

    private static async Task<Ok<List<ServerResponse>>> ListAsync(HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var teamId = http.Caller().TeamId;
        var servers = await db.Servers.AsNoTracking().Where(s => s.TeamId == teamId).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        return ApiResults.Ok(servers.Select(ServerResponse.From).ToList());
    }

    private static async Task<Results<Ok<ServerResponse>, NotFound<ErrorResponse>>> GetAsync(string uuid, HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var server = await FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        return server is null ? ApiResults.NotFound(NotFoundMessage) : ApiResults.Ok(ServerResponse.From(server));
    }

    private static async Task<Results<Created<UuidResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>, NotFound<ErrorResponse>, BadRequest<ErrorResponse>>> CreateAsync(
        HttpContext http, SlipwayDbContext db, TimeProvider clock, ServerValidator validator, IProxyService proxies, CancellationToken cancellationToken)
    {
        var body = await WireBody<Server>.ReadAsync(http.Request, ServerTable.Create, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var teamId = http.Caller().TeamId;
        var now = Timestamps.Now(clock);
        var server = new Server { Uuid = PublicId.New(), TeamId = teamId, Name = string.Empty, Ip = string.Empty, CreatedAt = now, UpdatedAt = now };
        var errors = new ValidationErrors();
        body.Validate(server, errors);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        var key = await PrivateKeysEndpoints.FindAsync(db, body.Text(ServerTable.PrivateKeyUuid), teamId, cancellationToken);
        if (key is null)
        {
            return ApiResults.NotFound(KeyNotFoundMessage);
        }

        if (await IpTakenAsync(db, teamId, body.Text(ServerTable.Ip)!, exceptId: 0, cancellationToken))
        {
            return ApiResults.BadRequest(DuplicateIpMessage);
        }

        body.Assign(server);
        server.PrivateKeyId = key.Id;
        if (string.IsNullOrWhiteSpace(server.Name))
        {
            server.Name = server.Ip;
        }

        db.Servers.Add(server);
        await db.SaveChangesAsync(cancellationToken);
        if (body.Flag(ServerTable.InstantValidate) == true)
        {
            await validator.ValidateAsync(server, cancellationToken);
        }

        if (server.Proxy.IsEnabled)
        {
            proxies.RequestReconcile(server.Id);
        }

        return ApiResults.Created(new UuidResponse(server.Uuid));
    }

    private static async Task<Results<Ok<MessageResponse>, NotFound<ErrorResponse>, BadRequest<ErrorResponse>>> DeleteAsync(string uuid, HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var server = await FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (server is null)
        {
            return ApiResults.NotFound(NotFoundMessage);
        }

        if (server.IsLocalhost)
        {
            return ApiResults.BadRequest("Local server cannot be deleted.");
        }

        if (await db.Applications.AnyAsync(a => a.ServerId == server.Id, cancellationToken))
        {
            return ApiResults.BadRequest("Server has resources, so you need to delete them before.");
        }

        db.Servers.Remove(server);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Message("Server deleted.");
    }

    private static async Task<Results<Created<ServerValidationResponse>, NotFound<ErrorResponse>, BodyRejected>> ValidateAsync(
        string uuid, HttpContext http, SlipwayDbContext db, ServerValidator validator, CancellationToken cancellationToken)
    {
        var server = await FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (server is null)
        {
            return ApiResults.NotFound(NotFoundMessage);
        }

        var body = await WireBody<Server>.ReadAsync(http.Request, ServerTable.Validate, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        // Coolify validates in the background and answers "Validation started."; Slipway checks right away
        // (bounded by the validator's timeout) and also says what it found.
        var result = await validator.ValidateAsync(server, cancellationToken);
        return ApiResults.Created(new ServerValidationResponse("Validation finished.", result.IsReachable, result.IsUsable, result.Log));
    }
}
