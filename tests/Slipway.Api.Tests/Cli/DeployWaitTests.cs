using Slipway.Api.Tests.Fixtures;
using Slipway.Cli;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using Slipway.Testing;

namespace Slipway.Api.Tests.Cli;

/// <summary>
/// <c>slipway deploy --wait</c> through the real binary against a running API host whose engine is off: the test
/// plays the engine (status changes and log lines through the server's own store and writer), so each outcome and
/// its exit code can be produced exactly. The same commands against a real engine: DeployEndToEndTests in the
/// integration tests.
/// </summary>
public sealed class DeployWaitTests(KestrelApiFactory factory) : IClassFixture<KestrelApiFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Seeder _seed = new(factory);
    private readonly DeploymentDriver _driver = new(factory);

    [Fact]
    public async Task Deploy_WithoutWait_PrintsOnlyTheQueuedDeploymentsUuid()
    {
        var app = await _seed.ApplicationAsync();
        using var cli = new CliSession(factory.Url, factory.RootToken);

        var result = (await cli.RunAsync("deploy", app.Uuid)).AssertSucceeded();

        var uuid = Assert.Single(result.OutputLines);
        var stored = await CliSession.DeploymentAsync(factory, uuid);
        Assert.Equal(app.Id, stored.ApplicationId);
        Assert.Equal(DeploymentStatus.Queued, stored.Status);
    }

    [Fact]
    public async Task DeployWait_Finished_Exits0AndPrintsTheStoredLogExactly()
    {
        var app = await _seed.ApplicationAsync();
        using var cli = new CliSession(factory.Url, factory.RootToken);
        await using var process = cli.Start("deploy", app.Uuid, "--wait", "--force");
        var deployment = await CliSession.DeploymentAsync(factory, (await process.WaitForLinesAsync(1, Patience))[0]);

        await _driver.SetStatusAsync(deployment, DeploymentStatus.Queued, DeploymentStatus.InProgress);
        await _driver.AppendAsync(deployment, "-----> Cloning repository", "Cloning into 'work'...", "", "progress 10%\rprogress 20%");
        await _driver.AppendUnflushedAsync(deployment, [LogLine.Info("debug: resolved HEAD", hidden: true), LogLine.Error("warning: shallow clone")]);
        for (var batch = 0; batch < 20; batch++)
        {
            await _driver.AppendAsync(deployment, Enumerable.Range(1, 100).Select(i => $"#{batch} step {i} ✓ 'quoted' \"double\" \\ tab\there").ToArray());
        }

        await _driver.FinishAsync(deployment, DeploymentStatus.Finished, "Deployment finished.");
        var result = await process.WaitForExitAsync(Patience);

        result.AssertSucceeded();
        Assert.Equal(CliSession.Lines([deployment.Uuid, .. await CliSession.StoredOutputsAsync(factory, deployment.Uuid)]), result.StandardOutput);
        Assert.Equal(2_007, result.StandardOutput.Count(c => c == '\n'));
        Assert.Contains(result.ErrorLines, l => l.Contains($"Deployment {deployment.Uuid} finished", StringComparison.Ordinal));
        Assert.True((await CliSession.DeploymentAsync(factory, deployment.Uuid)).ForceRebuild);
    }

    [Fact]
    public async Task DeployWait_Failed_Exits1WithOneErrorLine()
    {
        var app = await _seed.ApplicationAsync();
        using var cli = new CliSession(factory.Url, factory.RootToken);
        await using var process = cli.Start("deploy", app.Uuid, "--wait");
        var deployment = await CliSession.DeploymentAsync(factory, (await process.WaitForLinesAsync(1, Patience))[0]);

        await _driver.SetStatusAsync(deployment, DeploymentStatus.Queued, DeploymentStatus.InProgress);
        await _driver.AppendAsync(deployment, "-----> Building image");
        await _driver.FinishAsync(deployment, DeploymentStatus.Failed, "Deployment failed: docker build exited with code 1.");
        var result = await process.WaitForExitAsync(Patience);

        result.AssertError(ExitCodes.Failed, "failed");
        Assert.Equal([deployment.Uuid, "-----> Building image", "Deployment failed: docker build exited with code 1."], result.OutputLines);
    }

    [Fact]
    public async Task DeployWait_CancelledByAnotherSlipwayCommand_Exits2()
    {
        var app = await _seed.ApplicationAsync();
        using var cli = new CliSession(factory.Url, factory.RootToken);
        await using var process = cli.Start("deploy", app.Uuid, "--wait");
        var uuid = (await process.WaitForLinesAsync(1, Patience))[0];

        var cancel = (await cli.RunAsync("deployments", "cancel", uuid)).AssertSucceeded();
        var result = await process.WaitForExitAsync(Patience);

        Assert.Equal(["Deployment cancelled successfully."], cancel.OutputLines);
        result.AssertError(ExitCodes.Cancelled, "cancelled");
        Assert.Equal(uuid, result.OutputLines[0]);
        Assert.StartsWith("Deployment cancelled by user via API", Assert.Single(result.OutputLines.Skip(1)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeployWait_StillRunningAtTheTimeout_Exits3AndLeavesItRunning()
    {
        var app = await _seed.ApplicationAsync();
        using var cli = new CliSession(factory.Url, factory.RootToken);

        var result = await cli.RunAsync("deploy", app.Uuid, "--wait", "--timeout", "2s");

        result.AssertError(ExitCodes.TimedOut, "Timed out after 2");
        Assert.Equal(DeploymentStatus.Queued, (await CliSession.DeploymentAsync(factory, result.OutputLines[0])).Status);
    }

    [Fact]
    public async Task DeployWait_TokenThatMayNotReadLogs_WaitsForTheStatusAlone()
    {
        var app = await _seed.ApplicationAsync();
        using var cli = new CliSession(factory.Url, await factory.CreateTokenAsync(ApiAbility.Read | ApiAbility.Deploy));
        await using var process = cli.Start("deploy", app.Uuid, "--wait");
        var deployment = await CliSession.DeploymentAsync(factory, (await process.WaitForLinesAsync(1, Patience))[0]);

        await _driver.SetStatusAsync(deployment, DeploymentStatus.Queued, DeploymentStatus.InProgress);
        await _driver.FinishAsync(deployment, DeploymentStatus.Finished, "secret-ish line");
        var result = await process.WaitForExitAsync(Patience);

        result.AssertSucceeded();
        Assert.Equal([deployment.Uuid], result.OutputLines);
        Assert.Contains(result.ErrorLines, l => l.Contains("read:sensitive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_UnknownApplication_ExitsWithUsageError()
    {
        using var cli = new CliSession(factory.Url, factory.RootToken);

        var result = await cli.RunAsync("deploy", "nosuchapplication0000000", "--wait");

        result.AssertError(ExitCodes.Usage, "No resources found.");
        Assert.Empty(result.OutputLines);
    }

    [Fact]
    public async Task LogsFollow_LiveDeployment_PrintsTheStoredLogExactlyAndExitsWithTheOutcome()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.InProgress, logLines: 500);
        using var cli = new CliSession(factory.Url, factory.RootToken);
        await using var process = cli.Start("logs", deployment.Uuid, "--follow");
        await process.WaitForLinesAsync(480, Patience);

        await _driver.AppendAsync(deployment, Enumerable.Range(1, 300).Select(i => $"after {i}").ToArray());
        await _driver.FinishAsync(deployment, DeploymentStatus.Finished, "Deployment finished.");
        var result = await process.WaitForExitAsync(Patience);

        result.AssertSucceeded();
        Assert.Equal(CliSession.Lines(await CliSession.StoredOutputsAsync(factory, deployment.Uuid)), result.StandardOutput);
    }

    [Fact]
    public async Task LogsFollow_ConnectionDroppedMidStream_ResumesAndPrintsEachEntryOnce()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.InProgress, logLines: 3_000);
        await using var proxy = DroppingProxy.Start(factory.Port, cutFirstAfterBytes: 64 * 1024);
        using var cli = new CliSession(proxy.Url, factory.RootToken);
        await using var process = cli.Start("logs", deployment.Uuid, "--follow");
        // Every 50th seeded line is hidden: 2,940 are printed.
        await process.WaitForLinesAsync(2_940, Patience);

        await _driver.AppendAsync(deployment, Enumerable.Range(1, 300).Select(i => $"after the cut {i}").ToArray());
        await _driver.FinishAsync(deployment, DeploymentStatus.Finished, "Deployment finished.");
        var result = await process.WaitForExitAsync(Patience);

        result.AssertSucceeded();
        Assert.True(proxy.Connections >= 2, $"The proxy saw {proxy.Connections} connection(s).\n{result}");
        Assert.Equal(CliSession.Lines(await CliSession.StoredOutputsAsync(factory, deployment.Uuid)), result.StandardOutput);
    }
}
