using System.Diagnostics;

namespace Slipway.IntegrationTests.Fixtures;

/// <summary>The real Docker CLI, for arranging and checking what the engine did. Missing Docker fails loudly.</summary>
internal static class Docker
{
    public const string TestImage = "slipway-test/busybox:latest";

    public static Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) => RunWithEnvironmentAsync(null, arguments);

    /// <summary>Builds a test image (the test's own build, with the legacy builder, which every docker client has).</summary>
    public static Task<(int ExitCode, string Output)> BuildAsync(string contextDirectory, string image) =>
        RunWithEnvironmentAsync(new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "0" }, ["build", "--network", "host", "-q", "-t", image, contextDirectory]);

    private static async Task<(int ExitCode, string Output)> RunWithEnvironmentAsync(Dictionary<string, string>? environment, string[] arguments)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker could not be started.");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + error);
    }

    /// <summary>Fails the test (not skips it) when the engine or the test image is missing.</summary>
    public static async Task RequireAsync()
    {
        var (code, output) = await RunAsync("image", "inspect", "--format", "{{.Id}}", TestImage);
        if (code != 0)
        {
            throw new InvalidOperationException(
                $"These tests need a running Docker engine and the image {TestImage} (./test.sh starts and builds both): {output.Trim()}");
        }
    }

    /// <summary>Names of the application's containers with their state, e.g. <c>abc-1234 running</c>.</summary>
    public static async Task<IReadOnlyList<(string Name, string State)>> ContainersAsync(string applicationUuid)
    {
        var (_, output) = await RunAsync("ps", "-a", "--filter", $"label=slipway.application={applicationUuid}", "--format", "{{.Names}} {{.State}}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).Where(p => p.Length == 2).Select(p => (p[0], p[1])).ToList();
    }

    /// <summary>Removes everything an application left behind: containers, then images.</summary>
    public static async Task RemoveApplicationAsync(string applicationUuid)
    {
        var (_, containers) = await RunAsync("ps", "-aq", "--filter", $"label=slipway.application={applicationUuid}");
        foreach (var id in containers.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await RunAsync("rm", "-f", id.Trim());
        }

        var (_, images) = await RunAsync("image", "ls", applicationUuid, "--format", "{{.Repository}}:{{.Tag}}");
        foreach (var image in images.Split('\n', StringSplitOptions.RemoveEmptyEntries).Concat(await ImagesAsync(applicationUuid)))
        {
            await RunAsync("image", "rm", "-f", image.Trim());
        }

        // Images a rebuild of the same tag left untagged (<none>) still carry the application's label: removed by id.
        var (_, untagged) = await RunAsync("image", "ls", "-q", "--filter", "dangling=true", "--filter", $"label=slipway.application={applicationUuid}");
        foreach (var id in untagged.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal))
        {
            await RunAsync("image", "rm", "-f", id.Trim());
        }
    }

    /// <summary>Every image built for the application, its previews' included (they carry its label): <c>repository:tag</c>.</summary>
    public static async Task<IReadOnlyList<string>> ImagesAsync(string applicationUuid)
    {
        var (_, output) = await RunAsync("image", "ls", "--filter", $"label=slipway.application={applicationUuid}", "--format", "{{.Repository}}:{{.Tag}}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
    }
}
