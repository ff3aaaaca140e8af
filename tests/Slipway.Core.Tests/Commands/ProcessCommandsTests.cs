using System.Diagnostics;
using Slipway.Core.Commands;
using Slipway.Core.Execution;

namespace Slipway.Core.Tests.Commands;

/// <summary><see cref="ProcessCommands.StopLeftover"/> run by a real shell against real processes of this machine.</summary>
public sealed class ProcessCommandsTests
{
    [Fact]
    public async Task StopLeftover_ProcessNamingTheDeployment_IsStopped()
    {
        using var leftover = StartSleep("deployment-abc");

        var output = await RunAsync(ProcessCommands.StopLeftover(leftover.Id, "deployment-abc"));

        Assert.Contains($"Stopped process {leftover.Id}", output, StringComparison.Ordinal);
        Assert.True(leftover.WaitForExit(TimeSpan.FromSeconds(5)), "The leftover process still runs.");
    }

    [Fact]
    public async Task StopLeftover_PidReusedByAnotherProcess_LeavesItAlone()
    {
        using var stranger = StartSleep("something-else");
        try
        {
            var output = await RunAsync(ProcessCommands.StopLeftover(stranger.Id, "deployment-abc"));

            Assert.Contains("no longer belongs to this deployment", output, StringComparison.Ordinal);
            Assert.False(stranger.HasExited);
        }
        finally
        {
            stranger.Kill();
        }
    }

    [Fact]
    public async Task StopLeftover_ProcessGone_SaysSoAndSucceeds()
    {
        int pid;
        using (var ended = StartSleep("deployment-abc"))
        {
            pid = ended.Id;
            ended.Kill();
            await ended.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var output = await RunAsync(ProcessCommands.StopLeftover(pid, "deployment-abc"));

        Assert.Contains($"No process {pid} is left.", output, StringComparison.Ordinal);
    }

    // A shell looping on short sleeps (nothing outlives it) with the marker in its command line, as a work directory is in docker build's.
    private static Process StartSleep(string marker)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in new[] { "-c", "while :; do sleep 0.1; done", marker })
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info)!;
    }

    private static async Task<string> RunAsync(CommandSpec command)
    {
        var info = new ProcessStartInfo(command.Program) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in command.Arguments)
        {
            info.ArgumentList.Add(argument.Value);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
