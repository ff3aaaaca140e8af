using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// Cancelling through the API stops what runs — the build process and the build container — records who and
/// why, tags no image, and frees the slot for the next queued deployment; a queued deployment cancelled never runs.
/// </summary>
public sealed class CancelDeploymentTests(EngineHost host) : IClassFixture<EngineHost>
{
    [Fact]
    public async Task Cancel_DuringBuild_StopsTheBuildAndStartsTheNextQueued()
    {
        var (_, localhost) = await host.PlacementAsync();
        await host.SetServerLimitsAsync(localhost, concurrentBuilds: 1);
        var marker = "cancel-" + Guid.NewGuid().ToString("N");
        using var slowRepository = await TestApps.DockerfileRepositoryAsync(TestApps.SlowDockerfile(60, marker));
        var slow = await host.CreateDockerfileAppAsync(slowRepository, SlipwayBinary.FreeLoopbackPort());
        using var nextRepository = await GitRepository.CreateAsync();
        await nextRepository.Write("index.html", "next").CommitAsync("Next app");
        var nextPort = SlipwayBinary.FreeLoopbackPort();
        var next = await host.CreateStaticSiteAsync(nextRepository, nextPort);

        var building = await host.DeployAsync(slow);
        var running = await host.WaitForLogLineAsync(building, $"{marker}: build started");
        var queued = await host.DeployAsync(next);
        Assert.Equal("queued", EngineHost.Status(await host.GetDeploymentAsync(queued)));

        // current_process_id names the running command: the docker build client.
        var pid = running["current_process_id"]?.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(pid), "current_process_id is empty while the build runs.");
        var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        Assert.Equal(("docker", "build"), (Path.GetFileName(commandLine[0]), commandLine[1]));

        var (status, body) = await host.CancelAsync(building);
        Assert.True(status == 200, body.ToJsonString());
        var cancelled = await host.WaitUntilAsync(building, d => EngineHost.Status(d) == "cancelled-by-user", "cancelled-by-user", TimeSpan.FromSeconds(5));
        var ended = await host.WaitUntilAsync(building, d => d["current_process_id"] is null && EngineHost.VisibleLog(d).Contains("work undone", StringComparison.Ordinal),
            "the run to stop and clear current_process_id", TimeSpan.FromSeconds(30));

        Assert.Equal("cancelled-by-user", EngineHost.Status(ended));
        var log = EngineHost.VisibleLog(ended);
        Assert.Contains("Deployment cancelled by user via API (token 'engine-tests').", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Deployment finished", log, StringComparison.Ordinal);
        Assert.True(LocalProcesses.IsGone(int.Parse(pid!, System.Globalization.CultureInfo.InvariantCulture)), $"The build process {pid} still runs.");
        Assert.True(
            await Poll.UntilAsync(async () => !(await BuildContainersAsync(marker)).Any(), TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken),
            $"A build container running the cancelled step is left: {string.Join(", ", await BuildContainersAsync(marker))}");
        var (_, images) = await Docker.RunAsync("image", "ls", slow, "--format", "{{.Repository}}:{{.Tag}}");
        Assert.Equal(string.Empty, images.Trim());
        Assert.Empty(await Docker.ContainersAsync(slow));

        var nextDone = await host.WaitAsync(queued);
        Assert.Equal("finished", EngineHost.Status(nextDone));
        Assert.Equal("next", await EngineHost.FetchAsync(nextPort));
        Assert.Equal("cancelled-by-user", EngineHost.Status(cancelled));
    }

    [Fact]
    public async Task Cancel_WhileQueued_NeverRuns()
    {
        var (_, localhost) = await host.PlacementAsync();
        await host.SetServerLimitsAsync(localhost, concurrentBuilds: 1);
        var marker = "queued-" + Guid.NewGuid().ToString("N");
        using var slowRepository = await TestApps.DockerfileRepositoryAsync(TestApps.SlowDockerfile(60, marker));
        var slow = await host.CreateDockerfileAppAsync(slowRepository, SlipwayBinary.FreeLoopbackPort());
        using var otherRepository = await GitRepository.CreateAsync();
        await otherRepository.Write("index.html", "other").CommitAsync("Other app");
        var other = await host.CreateStaticSiteAsync(otherRepository, SlipwayBinary.FreeLoopbackPort());

        var building = await host.DeployAsync(slow);
        await host.WaitForLogLineAsync(building, $"{marker}: build started");
        var queued = await host.DeployAsync(other);
        var (status, body) = await host.CancelAsync(queued);
        Assert.True(status == 200, body.ToJsonString());
        Assert.Equal(200, (await host.CancelAsync(building)).Status);
        await host.WaitUntilAsync(building, d => d["current_process_id"] is null && EngineHost.VisibleLog(d).Contains("work undone", StringComparison.Ordinal),
            "the running build to stop", TimeSpan.FromSeconds(30));

        var after = await host.GetDeploymentAsync(queued);
        Assert.Equal("cancelled-by-user", EngineHost.Status(after));
        Assert.Null(Assert.Single(await host.DeploymentRowsAsync(other)).StartedAt);
        var log = EngineHost.FullLog(after);
        Assert.Contains("Deployment cancelled by user via API", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Starting deployment", log, StringComparison.Ordinal);
        Assert.Empty(await Docker.ContainersAsync(other));
        var (again, _) = await host.CancelAsync(queued);
        Assert.Equal(400, again);
        await host.SetServerLimitsAsync(localhost, concurrentBuilds: 2);
    }

    /// <summary>
    /// Containers (the legacy builder's build containers included) and processes (BuildKit runs build steps as
    /// processes of its own, not as containers) whose command mentions <paramref name="marker"/>.
    /// </summary>
    internal static async Task<IEnumerable<string>> BuildContainersAsync(string marker)
    {
        var (_, output) = await Docker.RunAsync("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Command}}");
        var containers = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(marker, StringComparison.Ordinal));
        var processes = Directory.EnumerateDirectories("/proc")
            .Select(d => (Pid: Path.GetFileName(d), CommandLine: ReadCommandLine(d)))
            .Where(p => p.Pid.All(char.IsAsciiDigit) && p.CommandLine.Contains(marker, StringComparison.Ordinal))
            .Select(p => $"process {p.Pid}: {p.CommandLine}");
        return containers.Concat(processes).ToList();
    }

    private static string ReadCommandLine(string processDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processDirectory, "cmdline")).Replace('\0', ' ');
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
