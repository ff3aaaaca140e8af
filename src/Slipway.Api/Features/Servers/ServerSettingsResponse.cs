using Slipway.Core.Common;
using Slipway.Core.Servers;

namespace Slipway.Api.Features.Servers;

/// <summary>
/// Coolify's <c>ServerSetting</c> for the settings Slipway has. They live in the server row, so they share its
/// timestamps. Build servers do not exist in Slipway, so <c>is_build_server</c> is always false. The log caps
/// (<c>deployment_log_max_lines</c>, <c>deployment_log_max_bytes</c>) are Slipway's.
/// </summary>
public sealed record ServerSettingsResponse(
    int ConcurrentBuilds,
    long DeploymentLogMaxBytes,
    int DeploymentLogMaxLines,
    int DeploymentQueueLimit,
    int DynamicTimeout,
    bool IsBuildServer,
    bool IsReachable,
    bool IsUsable,
    long ServerId,
    string CreatedAt,
    string UpdatedAt)
{
    public static ServerSettingsResponse From(Server server) => new(
        server.ConcurrentBuilds,
        server.DeploymentLogMaxBytes,
        server.DeploymentLogMaxLines,
        server.DeploymentQueueLimit,
        server.DynamicTimeout,
        IsBuildServer: false,
        server.IsReachable,
        server.IsUsable,
        server.Id,
        Timestamps.ToWire(server.CreatedAt),
        Timestamps.ToWire(server.UpdatedAt));
}
