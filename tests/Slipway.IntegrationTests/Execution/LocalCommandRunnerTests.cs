using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Core.Execution;
using Slipway.Infrastructure.Execution;
using Slipway.IntegrationTests.Fixtures;

namespace Slipway.IntegrationTests.Execution;

public sealed class LocalCommandRunnerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private readonly LocalCommandRunner _runner = new(NullLogger<LocalCommandRunner>.Instance);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(255)]
    public async Task StreamAsync_ExitCode_IsReportedLast(int code)
    {
        var events = await CollectAsync(CommandSpec.Of("sh", "-c", $"exit {code}"));

        Assert.IsType<CommandStarted>(events[0]);
        Assert.Equal(new CommandExited(code), events[^1]);
    }

    [Fact]
    public async Task StreamAsync_StartedEvent_CarriesThePid()
    {
        var events = await CollectAsync(CommandSpec.Of("sh", "-c", "echo $$"));

        var started = Assert.IsType<CommandStarted>(events[0]);
        Assert.Equal(started.ProcessId.ToString(), Lines(events, OutputStream.StandardOutput).Single());
    }

    [Fact]
    public async Task StreamAsync_StdoutAndStderr_AreSeparatedAndInOrder()
    {
        var script = "echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three; printf 'unterminated'";

        var events = await CollectAsync(CommandSpec.Of("sh", "-c", script));

        Assert.Equal(
            [new OutputLine(OutputStream.StandardOutput, "one"), new OutputLine(OutputStream.StandardError, "two"),
             new OutputLine(OutputStream.StandardOutput, "three"), new OutputLine(OutputStream.StandardOutput, "unterminated")],
            events.OfType<OutputLine>());
    }

    [Fact]
    public async Task StreamAsync_CrLfAndEmptyLines_AreSplitOnNewlineWithCarriageReturnRemoved()
    {
        var events = await CollectAsync(CommandSpec.Of("printf", "a\\r\\n\\nb\\r\\nc\\rd\\n"));

        Assert.Equal(["a", "", "b", "c\rd"], Lines(events, OutputStream.StandardOutput));
    }

    [Fact]
    public async Task StreamAsync_InvalidUtf8_IsReplacedNotThrown()
    {
        var events = await CollectAsync(CommandSpec.Of("printf", "\\377\\376ok \\303\\251\\n"));

        Assert.Equal(["\uFFFD\uFFFDok é"], Lines(events, OutputStream.StandardOutput));
    }

    [Fact]
    public async Task StreamAsync_StandardInput_IsWrittenThenClosed()
    {
        var command = CommandSpec.Of("cat") with { StandardInput = "hello\nwörld 'quoted'\n" };

        var events = await CollectAsync(command);

        Assert.Equal(["hello", "wörld 'quoted'"], Lines(events, OutputStream.StandardOutput));
    }

    [Fact]
    public async Task StreamAsync_NoStandardInput_ClosesStdinImmediately()
    {
        var events = await CollectAsync(CommandSpec.Of("cat"));

        Assert.Equal(new CommandExited(0), events[^1]);
        Assert.Empty(events.OfType<OutputLine>());
    }

    [Fact]
    public async Task StreamAsync_Environment_IsAddedToTheProcess()
    {
        var value = "a b 'c' \"d\" $HOME\nsecond line";
        var command = CommandSpec.Of("sh", "-c", "printf '%s|%s' \"$SLIPWAY_TEST_VALUE\" \"$PATH\"") with
        {
            Environment = new Dictionary<string, string> { ["SLIPWAY_TEST_VALUE"] = value },
        };

        var events = await CollectAsync(command);

        var output = string.Join('\n', Lines(events, OutputStream.StandardOutput));
        Assert.StartsWith(value + "|", output, StringComparison.Ordinal);
        Assert.NotEqual(value + "|", output); // Slipway's PATH is still there
    }

    [Fact]
    public async Task StreamAsync_Environment_IsSlipwaysAllowListPlusTheCommandsOwn_WhichCannotReplaceIt()
    {
        // Set before the runner is made: it reads Slipway's environment once. Unique names; harmless to other tests.
        var canary = "SLIPWAY_LEAK_CANARY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(canary, "leaked");
        var runner = new LocalCommandRunner(NullLogger<LocalCommandRunner>.Instance);
        var command = CommandSpec.Of("sh", "-c", $"printf '%s|%s|%s|%s|%s' \"$PATH\" \"$HOME\" \"${{DOCKER_HOST:-unset}}\" \"$BUILD_VALUE\" \"${{{canary}:-absent}}\"") with
        {
            Environment = new Dictionary<string, string>
            {
                ["PATH"] = "/tmp/evil-bin",
                ["HOME"] = "/tmp/evil-home",
                ["DOCKER_HOST"] = "tcp://127.0.0.1:1",
                ["BUILD_VALUE"] = "kept",
            },
        };

        var output = Assert.Single(Lines(await runner.CollectAsync(command, Token), OutputStream.StandardOutput)).Split('|');

        var expectedPath = string.Join(':', Environment.GetEnvironmentVariable("PATH")!.Split(':').Where(d => d.StartsWith('/')));
        Assert.Equal(expectedPath, output[0]);
        Assert.Equal(Environment.GetEnvironmentVariable("HOME"), output[1]);
        Assert.Equal(Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unset", output[2]);
        Assert.Equal(["kept", "absent"], output[3..]);
        Environment.SetEnvironmentVariable(canary, null);
    }

    [Fact]
    public async Task StreamAsync_WithoutAWorkingDirectory_RunsInTheRootNotSlipwaysOwn()
    {
        var events = await CollectAsync(CommandSpec.Of("pwd"));

        Assert.Equal([LocalCommandRunner.DefaultWorkingDirectory], Lines(events, OutputStream.StandardOutput));
    }

    [Fact]
    public async Task StreamAsync_WorkingDirectory_IsHonoured()
    {
        var directory = Directory.CreateTempSubdirectory("slipway-wd-").FullName;
        try
        {
            var events = await CollectAsync(CommandSpec.Of("pwd") with { WorkingDirectory = directory });

            Assert.Equal([directory], Lines(events, OutputStream.StandardOutput));
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [Fact]
    public async Task StreamAsync_MissingWorkingDirectory_ThrowsStartFailed()
    {
        var command = CommandSpec.Of("pwd") with { WorkingDirectory = "/nonexistent/slipway/dir" };

        var error = await Assert.ThrowsAsync<CommandStartFailedException>(() => CollectAsync(command));

        Assert.Contains("/nonexistent/slipway/dir", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamAsync_ProgramNotFound_ThrowsCommandNotFound()
    {
        var error = await Assert.ThrowsAsync<CommandNotFoundException>(() => CollectAsync(CommandSpec.Of("slipway-no-such-program", "x")));

        Assert.Equal("slipway-no-such-program: command not found on localhost", error.Message);
    }

    [Fact]
    public async Task RunAsync_NonZeroExit_ThrowsWithStderrTail()
    {
        var error = await Assert.ThrowsAsync<CommandFailedException>(
            () => _runner.RunAsync(CommandSpec.Of("sh", "-c", "echo first >&2; echo boom >&2; exit 4"), cancellationToken: Token));

        Assert.Equal(4, error.ExitCode);
        Assert.Equal(["first", "boom"], error.StandardErrorTail);
        Assert.EndsWith(": boom", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamAsync_200000Lines_StreamWithBackpressureAndBoundedMemory()
    {
        var command = CommandSpec.Of("seq", "1", "200000");
        var count = 0;
        var last = string.Empty;
        int? pid = null;
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = 0L;

        await foreach (var item in _runner.StreamAsync(command, Token))
        {
            switch (item)
            {
                case CommandStarted started:
                    pid = started.ProcessId;
                    break;
                case OutputLine line:
                    count++;
                    last = line.Text;
                    if (count == 1)
                    {
                        // Stop consuming: the producer must end up blocked on a full pipe, not buffered into memory.
                        var blocked = await Poll.UntilAsync(
                            () => LocalProcesses.WaitChannel(pid!.Value).Contains("pipe_write", StringComparison.Ordinal),
                            TimeSpan.FromSeconds(10),
                            Token);
                        Assert.True(blocked, "seq was never blocked by a full pipe: output is being buffered");
                    }

                    if (count % 20_000 == 0)
                    {
                        peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                    }

                    break;
            }
        }

        Assert.Equal(200_000, count);
        Assert.Equal("200000", last);
        Assert.True(peak < 16 * 1024 * 1024, $"memory grew by {peak:N0} bytes while streaming");
    }

    [Fact]
    public async Task StreamAsync_Cancelled_KillsChildAndGrandchildThenThrows()
    {
        var script = "sleep 1000 & echo \"child $!\"; sh -c 'sleep 1000 & echo \"grandchild $!\"; wait' & wait";
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var pids = new Dictionary<string, int>();

        var enumerate = async () =>
        {
            await foreach (var item in _runner.StreamAsync(CommandSpec.Of("sh", "-c", script), cancellation.Token))
            {
                if (item is OutputLine line)
                {
                    var parts = line.Text.Split(' ');
                    pids[parts[0]] = int.Parse(parts[1]);
                    if (pids.Count == 2)
                    {
                        await cancellation.CancelAsync();
                    }
                }
            }
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(enumerate);
        Assert.True(await Poll.UntilAsync(() => LocalProcesses.IsGone(pids["child"]) && LocalProcesses.IsGone(pids["grandchild"]), TimeSpan.FromSeconds(5), Token),
            $"still running: {string.Join(", ", pids.Where(p => !LocalProcesses.IsGone(p.Value)))}");
    }

    [Fact]
    public async Task StreamAsync_ConsumerStopsEarly_KillsTheProcess()
    {
        int? pid = null;
        await foreach (var item in _runner.StreamAsync(CommandSpec.Of("sh", "-c", "echo ready; exec sleep 1000"), Token))
        {
            pid ??= (item as CommandStarted)?.ProcessId;
            if (item is OutputLine)
            {
                break;
            }
        }

        Assert.True(await Poll.UntilAsync(() => LocalProcesses.IsGone(pid!.Value), TimeSpan.FromSeconds(5), Token));
    }

    [Fact]
    public async Task StreamAsync_BackgroundProcessHoldsOutput_StillEndsAfterExit()
    {
        var events = await CollectAsync(CommandSpec.Of("sh", "-c", "sleep 1000 & echo $!"));
        var orphan = int.Parse(Lines(events, OutputStream.StandardOutput).Single());
        try
        {
            Assert.Equal(new CommandExited(0), events[^1]);
        }
        finally
        {
            LocalProcesses.KillIfRunning(orphan);
        }
    }

    private async Task<List<CommandEvent>> CollectAsync(CommandSpec command)
    {
        var events = new List<CommandEvent>();
        await foreach (var item in _runner.StreamAsync(command, Token))
        {
            events.Add(item);
        }

        return events;
    }

    private static List<string> Lines(IEnumerable<CommandEvent> events, OutputStream stream) =>
        events.OfType<OutputLine>().Where(l => l.Stream == stream).Select(l => l.Text).ToList();
}
