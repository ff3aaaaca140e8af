using Microsoft.AspNetCore.Http.HttpResults;
using Slipway.Api.Auth;
using Slipway.Api.Features.PrivateKeys;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Common;
using Slipway.Core.Proxy;
using Slipway.Core.Servers;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Servers;

namespace Slipway.Api.Features.Servers;

/// <summary><c>PATCH /servers/{uuid}</c>.</summary>
public static partial class ServersEndpoints
{
    internal static async Task<Results<Created<ServerResponse>, NotFound<ErrorResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>, BadRequest<ErrorResponse>>> UpdateAsync(
        string uuid, HttpContext http, SlipwayDbContext db, TimeProvider clock, ServerValidator validator, IProxyService proxies, CancellationToken cancellationToken)
    {
        var teamId = http.Caller().TeamId;
        var server = await FindAsync(db, uuid, teamId, cancellationToken);
        if (server is null)
        {
            return ApiResults.NotFound(NotFoundMessage);
        }

        var body = await WireBody<Server>.ReadAsync(http.Request, ServerTable.Update, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var errors = new ValidationErrors();
        body.Validate(server, errors);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        long? keyId = server.PrivateKeyId;
        if (body.Has(ServerTable.PrivateKeyUuid))
        {
            var key = await PrivateKeysEndpoints.FindAsync(db, body.Text(ServerTable.PrivateKeyUuid), teamId, cancellationToken);
            if (key is null)
            {
                return ApiResults.NotFound(KeyNotFoundMessage);
            }

            keyId = key.Id;
        }

        var changed = ChangedConnectionFields(server, body, keyId);
        if (changed.Count > 0 && server.IsLocalhost)
        {
            // The localhost server runs commands as local processes; an ip, user or key would be a fiction.
            foreach (var field in changed)
            {
                errors.Add(field, $"The localhost server runs commands on this machine; its {field} cannot be changed.");
            }

            return errors.ToResult();
        }

        if (body.Has(ServerTable.Ip) && await IpTakenAsync(db, teamId, body.Text(ServerTable.Ip)!, server.Id, cancellationToken))
        {
            return ApiResults.BadRequest(DuplicateIpMessage);
        }

        var proxyWasEnabled = server.Proxy.IsEnabled;
        body.Assign(server);
        server.PrivateKeyId = keyId;
        if (changed.Count > 0)
        {
            // The last validation (and the probe of its Docker) was of the old address or credentials.
            server.IsReachable = false;
            server.IsUsable = false;
            server.SetDockerProbe(null);
        }

        server.UpdatedAt = Timestamps.Now(clock);
        await db.SaveChangesAsync(cancellationToken);
        if (body.Flag(ServerTable.InstantValidate) == true)
        {
            await validator.ValidateAsync(server, cancellationToken);
        }

        if (proxyWasEnabled || server.Proxy.IsEnabled)
        {
            proxies.RequestReconcile(server.Id);
        }

        return ApiResults.Created(ServerResponse.From(server));
    }

    private static List<string> ChangedConnectionFields(Server server, WireBody<Server> body, long? keyId)
    {
        var changed = new List<string>();
        if (body.Has(ServerTable.Ip) && body.Text(ServerTable.Ip) != server.Ip)
        {
            changed.Add(ServerTable.Ip.Name);
        }

        if (body.Has(ServerTable.Port) && body.Integer(ServerTable.Port) != server.Port)
        {
            changed.Add(ServerTable.Port.Name);
        }

        if (body.Has(ServerTable.User) && body.Text(ServerTable.User) != server.User)
        {
            changed.Add(ServerTable.User.Name);
        }

        if (keyId != server.PrivateKeyId)
        {
            changed.Add(ServerTable.PrivateKeyUuid.Name);
        }

        return changed;
    }
}
