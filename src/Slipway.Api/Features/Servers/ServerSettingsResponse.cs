using Slipway.Core.Common;
using Slipway.Core.Servers;

namespace Slipway.Api.Features.Servers;

/// <summary>
/// Coolify's <c>ServerSetting</c> for the settings Slipway has. They live in the server row, so they share its
/// timestamps. Build servers do not exist in Slipway, so <c>is_build_server</c> is always false. Slipway's own:
/// the log caps (<c>deployment_log_max_lines</c>, <c>deployment_log_max_bytes</c>) and retention
/// (<c>deployment_log_retention</c>),
/// <c>allow_host_network</c>, and what the engine probed of the server's Docker before its first build (the
/// client builds use, whether it builds with BuildKit, whether the engine has a default bridge; null until probed).
/// </summary>
public sealed record ServerSettingsResponse(
    int ConcurrentBuilds,
    long DeploymentLogMaxBytes,
    int DeploymentLogMaxLines,
    int DeploymentLogRetention,
    int DeploymentQueueLimit,
    int DynamicTimeout,
    bool IsBuildServer,
    bool IsReachable,
    bool IsUsable,
    long ServerId,
    bool AllowHostNetwork,
    string? DockerClientPath,
    bool? DockerBuildkit,
    bool? DockerDefaultBridge,
    string? DockerProbedAt,
    string CreatedAt,
    string UpdatedAt)
{
    public static ServerSettingsResponse From(Server server) => new(
        server.ConcurrentBuilds,
        server.DeploymentLogMaxBytes,
        server.DeploymentLogMaxLines,
        server.DeploymentLogRetention,
        server.DeploymentQueueLimit,
        server.DynamicTimeout,
        IsBuildServer: false,
        server.IsReachable,
        server.IsUsable,
        server.Id,
        server.AllowHostNetwork,
        server.DockerClientPath,
        server.DockerBuildKit,
        server.DockerDefaultBridge,
        server.DockerProbedAt is { } probedAt ? Timestamps.ToWire(probedAt) : null,
        Timestamps.ToWire(server.CreatedAt),
        Timestamps.ToWire(server.UpdatedAt));
}
