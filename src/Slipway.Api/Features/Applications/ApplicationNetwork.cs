using Slipway.Api.Http;
using Slipway.Core.Applications;
using Slipway.Core.Servers;
using Slipway.Core.Validation;

namespace Slipway.Api.Features.Applications;

/// <summary>
/// The rules between an application's run options and its server: <c>--network host</c> needs the server's
/// <c>allow_host_network</c>, and <c>--network bridge</c> a Docker with a default bridge network (when the probe knows).
/// </summary>
internal static class ApplicationNetwork
{
    public static void Check(Application application, Server? server, ValidationErrors errors)
    {
        var field = ApplicationTable.CustomDockerRunOptions.Name;
        if (server is not null && !errors.Has(field))
        {
            errors.AddIf(field, DockerRunOptions.CheckHostNetwork(application.CustomDockerRunOptions, server.AllowHostNetwork)
                ?? DockerRunOptions.CheckBridgeNetwork(application.CustomDockerRunOptions, server.DockerDefaultBridge));
        }
    }
}
