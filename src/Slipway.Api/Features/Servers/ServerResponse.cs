using Slipway.Core.Common;
using Slipway.Core.Servers;

namespace Slipway.Api.Features.Servers;

/// <summary>
/// Coolify's <c>Server</c> for the fields Slipway has (<c>proxy_type</c> is <c>NONE</c> or <c>CADDY</c>);
/// <c>is_reachable</c>/<c>is_usable</c> are repeated at the top level as Coolify's list does; so is Slipway's
/// <c>allow_host_network</c>, which is set at the top level of POST and PATCH.
/// </summary>
public sealed record ServerResponse(
    long Id,
    string Uuid,
    string Name,
    string? Description,
    string Ip,
    string User,
    int Port,
    string? ProxyType,
    string? ValidationLogs,
    bool IsLocalhost,
    bool IsReachable,
    bool IsUsable,
    bool AllowHostNetwork,
    string CreatedAt,
    string UpdatedAt,
    ServerSettingsResponse Settings)
{
    public static ServerResponse From(Server server) => new(
        server.Id,
        server.Uuid,
        server.Name,
        server.Description,
        server.Ip,
        server.User,
        server.Port,
        server.Proxy.Type,
        server.ValidationLogs,
        server.IsLocalhost,
        server.IsReachable,
        server.IsUsable,
        server.AllowHostNetwork,
        Timestamps.ToWire(server.CreatedAt),
        Timestamps.ToWire(server.UpdatedAt),
        ServerSettingsResponse.From(server));
}
