using Slipway.Core.Servers;

namespace Slipway.Core.Tests.Fakes;

public static class TestServers
{
    /// <summary>The BuildKit client the recorded probe of <see cref="Localhost"/> names.</summary>
    public const string DockerClient = "/usr/bin/docker";

    /// <summary>
    /// The localhost server with its Docker already probed (BuildKit through <see cref="DockerClient"/>, no default
    /// bridge), unless <paramref name="probed"/> is false.
    /// </summary>
    public static Server Localhost(bool allowHostNetwork = false, bool probed = true, bool defaultBridge = false)
    {
        var server = new Server { Id = 1, Uuid = "srv", Name = "localhost", Ip = "127.0.0.1", IsLocalhost = true, AllowHostNetwork = allowHostNetwork };
        if (probed)
        {
            server.SetDockerProbe(new DockerProbe(DockerClient, BuildKit: true, defaultBridge, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc)));
        }

        return server;
    }
}
