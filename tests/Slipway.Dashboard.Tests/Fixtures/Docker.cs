using System.Diagnostics;

namespace Slipway.Dashboard.Tests.Fixtures;

/// <summary>The Docker CLI, for checking the engine is there and removing what the tests' deployments left.</summary>
internal static class Docker
{
    public const string TestImage = "slipway-test/busybox:latest";

    /// <summary>Fails loudly (never skips) without a Docker engine and the test image that ./test.sh builds.</summary>
    public static async Task RequireAsync()
    {
        var (code, output) = await RunAsync("image", "inspect", "--format", "{{.Id}}", TestImage);
        if (code != 0)
        {
            throw new InvalidOperationException(
                $"The dashboard tests need a running Docker engine and the image {TestImage} (./test.sh starts and builds both): {output.Trim()}");
        }
    }

    /// <summary>Removes the containers and images Slipway made for <paramref name="applicationUuid"/> (they carry its label).</summary>
    public static async Task RemoveApplicationAsync(string applicationUuid)
    {
        var (_, containers) = await RunAsync("ps", "-aq", "--filter", $"label=slipway.application={applicationUuid}");
        foreach (var id in containers.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await RunAsync("rm", "-f", id.Trim());
        }

        var (_, images) = await RunAsync("image", "ls", "--filter", $"label=slipway.application={applicationUuid}", "--format", "{{.Repository}}:{{.Tag}}");
        foreach (var image in images.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await RunAsync("image", "rm", "-f", image.Trim());
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
