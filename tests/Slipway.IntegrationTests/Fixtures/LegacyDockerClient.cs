using System.Diagnostics;

namespace Slipway.IntegrationTests.Fixtures;

/// <summary>
/// A docker client without BuildKit, for an <see cref="EngineHost"/> whose probe must find only that (its
/// <c>Slipway:Engine:DockerClients:0</c> setting). Where the machine has one (a newer client earlier on PATH than
/// Debian's, without buildx: <c>/usr/local/bin/docker</c> 28.x on these machines) it is that real client; elsewhere (a fresh machine has only Debian's) the real Debian client behind a wrapper that
/// refuses <c>buildx</c> and <c>DOCKER_BUILDKIT=1</c> the way a client without buildx does.
/// </summary>
internal static class LegacyDockerClient
{
    private const string DebianClient = "/usr/bin/docker";

    /// <summary>The client's path: the machine's newer one without buildx, or a wrapper written into <paramref name="directory"/>.</summary>
    public static string Find(string directory) => NewerClientWithoutBuildx() ?? WriteWrapper(directory);

    /// <summary>The first <c>docker</c> on PATH that is not Debian's client and has no buildx, if any.</summary>
    private static string? NewerClientWithoutBuildx()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':'))
        {
            var candidate = Path.Combine(directory, "docker");
            if (!directory.StartsWith('/') || !File.Exists(candidate) || RealPath(candidate) == DebianClient)
            {
                continue;
            }

            using var buildx = Process.Start(new ProcessStartInfo(candidate, ["buildx", "version"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            buildx.WaitForExit();
            return buildx.ExitCode == 0 ? null : candidate;
        }

        return null;
    }

    /// <summary>The path with its directory's and its own symbolic links resolved (<c>/bin</c> is <c>/usr/bin</c> on merged-usr systems).</summary>
    private static string RealPath(string path)
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(path)!);
        var resolvedDirectory = directory.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? directory.FullName;
        var file = new FileInfo(Path.Combine(resolvedDirectory, Path.GetFileName(path)));
        return file.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file.FullName;
    }

    private static string WriteWrapper(string directory)
    {
        var wrapper = Path.Combine(directory, "legacy-docker");
        File.WriteAllText(wrapper, $$"""
            #!/bin/sh
            # A docker client without BuildKit: no buildx, and DOCKER_BUILDKIT=1 refused as a client without buildx refuses it.
            [ "$1" = buildx ] && { echo "docker: 'buildx' is not a docker command." >&2; exit 1; }
            [ "${DOCKER_BUILDKIT:-}" = 1 ] && { echo "ERROR: BuildKit is enabled but the buildx component is missing or broken." >&2; exit 1; }
            exec {{DebianClient}} "$@"

            """);
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return wrapper;
    }
}
