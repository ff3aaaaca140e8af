using Slipway.Core.Servers;

namespace Slipway.Api.Features.Servers;

/// <summary>
/// What <c>validate</c> can truthfully record today. The localhost server runs commands as local processes, so it
/// is reachable by definition. Checking a remote server needs an SSH connection, which Slipway does not make yet:
/// it is recorded as not validated rather than claimed reachable.
/// </summary>
internal static class ServerValidation
{
    public const string SshNotImplemented = "Validation over SSH is not implemented yet.";

    public static void Apply(Server server)
    {
        server.IsReachable = server.IsLocalhost;
        server.IsUsable = server.IsLocalhost;
        server.ValidationLogs = server.IsLocalhost ? null : SshNotImplemented;
    }
}
