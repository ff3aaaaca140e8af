using Slipway.Api.Auth;
using Slipway.Api.Features.PrivateKeys;
using Slipway.Api.Http;
using Slipway.Core.Common;
using Slipway.Core.Proxy;
using Slipway.Core.Servers;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Servers;

namespace Slipway.Api.Features.Servers;

/// <summary><c>PATCH /servers/{uuid}</c>.</summary>
public static partial class ServersEndpoints
{
    private static async Task<IResult> UpdateAsync(
        string uuid, HttpContext http, SlipwayDbContext db, TimeProvider clock, ServerValidator validator, IProxyService proxies, CancellationToken cancellationToken)
    {
        var teamId = http.Caller().TeamId;
        var server = await FindAsync(db, uuid, teamId, cancellationToken);
        if (server is null)
        {
            return ApiResults.NotFound(NotFoundMessage);
        }

        var body = await JsonBody.ReadAsync<UpdateServerRequest>(http.Request, UpdateServerRequest.Unsupported, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var request = body.Value!;
        var errors = request.Validate(body);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        long? keyId = server.PrivateKeyId;
        if (body.Has("private_key_uuid"))
        {
            var key = await PrivateKeysEndpoints.FindAsync(db, request.PrivateKeyUuid, teamId, cancellationToken);
            if (key is null)
            {
                return ApiResults.NotFound(KeyNotFoundMessage);
            }

            keyId = key.Id;
        }

        var changed = ChangedConnectionFields(server, request, body, keyId);
        if (changed.Count > 0 && server.IsLocalhost)
        {
            // The localhost server runs commands as local processes; an ip, user or key would be a fiction.
            foreach (var field in changed)
            {
                errors.Add(field, $"The localhost server runs commands on this machine; its {field} cannot be changed.");
            }

            return errors.ToResult();
        }

        if (body.Has("ip") && await IpTakenAsync(db, teamId, request.Ip!, server.Id, cancellationToken))
        {
            return ApiResults.BadRequest(DuplicateIpMessage);
        }

        var proxyWasEnabled = server.Proxy.IsEnabled;
        Apply(server, request, body, keyId);
        if (changed.Count > 0)
        {
            // The last validation was of the old address or credentials.
            server.IsReachable = false;
            server.IsUsable = false;
        }

        server.UpdatedAt = Timestamps.Now(clock);
        await db.SaveChangesAsync(cancellationToken);
        if (request.InstantValidate == true)
        {
            await validator.ValidateAsync(server, cancellationToken);
        }

        if (proxyWasEnabled || server.Proxy.IsEnabled)
        {
            proxies.RequestReconcile(server.Id);
        }

        return ApiResults.Created(ServerResponse.From(server));
    }

    private static List<string> ChangedConnectionFields(Server server, UpdateServerRequest request, BodyResult<UpdateServerRequest> body, long? keyId)
    {
        var changed = new List<string>();
        if (body.Has("ip") && request.Ip != server.Ip)
        {
            changed.Add("ip");
        }

        if (body.Has("port") && request.Port != server.Port)
        {
            changed.Add("port");
        }

        if (body.Has("user") && request.User != server.User)
        {
            changed.Add("user");
        }

        if (keyId != server.PrivateKeyId)
        {
            changed.Add("private_key_uuid");
        }

        return changed;
    }

    private static void Apply(Server server, UpdateServerRequest request, BodyResult<UpdateServerRequest> body, long? keyId)
    {
        if (body.Has("name"))
        {
            server.Name = request.Name!.Trim();
        }

        if (body.Has("description"))
        {
            server.Description = request.Description;
        }

        server.Ip = body.Has("ip") ? request.Ip! : server.Ip;
        server.Port = request.Port ?? server.Port;
        server.User = request.User ?? server.User;
        server.PrivateKeyId = keyId;
        server.ConcurrentBuilds = request.ConcurrentBuilds ?? server.ConcurrentBuilds;
        server.DeploymentQueueLimit = request.DeploymentQueueLimit ?? server.DeploymentQueueLimit;
        server.DynamicTimeout = request.DynamicTimeout ?? server.DynamicTimeout;
        if (body.Has("proxy_type"))
        {
            server.Proxy.Type = ProxyTypes.Normalize(request.ProxyType, out _)!;
        }
    }
}
