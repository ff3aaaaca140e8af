using Microsoft.AspNetCore.Hosting;

namespace Slipway.IntegrationTests.Fixtures;

/// <summary>
/// An <see cref="EngineHost"/> whose probe finds only a docker client without BuildKit: the real Debian client behind
/// a wrapper that refuses <c>buildx</c> and <c>DOCKER_BUILDKIT=1</c> the way a client without buildx does (the newer
/// client on these machines; not present on every machine, so it is not used directly).
/// </summary>
public sealed class LegacyDockerEngineHost : EngineHost
{
    public string LegacyClient => Path.Combine(DataDir, "legacy-docker");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        File.WriteAllText(LegacyClient, """
            #!/bin/sh
            # A docker client without BuildKit: no buildx, and DOCKER_BUILDKIT=1 refused as a client without buildx refuses it.
            [ "$1" = buildx ] && { echo "docker: 'buildx' is not a docker command." >&2; exit 1; }
            [ "${DOCKER_BUILDKIT:-}" = 1 ] && { echo "ERROR: BuildKit is enabled but the buildx component is missing or broken." >&2; exit 1; }
            exec /usr/bin/docker "$@"

            """);
        File.SetUnixFileMode(LegacyClient, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        builder.UseSetting("Slipway:Engine:DockerClients:0", LegacyClient);
    }
}
