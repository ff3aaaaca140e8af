using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Core.Execution;
using Slipway.Infrastructure.Execution;
using Slipway.IntegrationTests.Fixtures;

namespace Slipway.IntegrationTests.Execution;

/// <summary>The SSH runner against a real sshd on 127.0.0.1 (which also makes remote PIDs visible in local /proc).</summary>
public sealed class SshCommandRunnerTests(SshClassFixture fixture) : IClassFixture<SshClassFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private readonly LocalCommandRunner _local = new(NullLogger<LocalCommandRunner>.Instance);

    private ICommandRunner Remote => fixture.Ssh.Runner;

    public static TheoryData<string> Scenarios => new(SameAsLocalScenarios.Keys);

    private static readonly Dictionary<string, CommandSpec> SameAsLocalScenarios = new()
    {
        ["exit code"] = CommandSpec.Of("sh", "-c", "exit 42"),
        ["both streams and an unterminated line"] = CommandSpec.Of("sh", "-c", "echo out; echo err >&2; printf 'no newline'"),
        ["death by signal"] = CommandSpec.Of("sh", "-c", "kill -KILL $$"),
        ["tricky arguments through printf"] = new CommandSpec("printf", [.. new[] { "%s|\\n" }.Concat(NastyStrings.Tricky).Select(a => new CommandArg(a))]),
        ["tricky arguments as bytes"] = NastyStrings.HexEcho(NastyStrings.Tricky),
        ["stdin"] = CommandSpec.Of("cat") with { StandardInput = "first\nsécond 'line'\r\nno newline at the end" },
        ["environment"] = CommandSpec.Of("sh", "-c", "printf '%s\\n' \"$SLIPWAY_NASTY\"") with
        {
            Environment = new Dictionary<string, string> { ["SLIPWAY_NASTY"] = "a 'b' \"c\" $(id) `id`\nline two; rm -rf /" },
        },
        ["working directory"] = CommandSpec.Of("pwd") with { WorkingDirectory = "/tmp" },
        ["invalid UTF-8 and CRLF"] = CommandSpec.Of("printf", "\\377ok\\r\\nnext\\r\\n"),
        ["no output"] = CommandSpec.Of("true"),
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task StreamAsync_SameCommand_GivesSameOutputAndExitCodeAsLocal(string scenario)
    {
        var command = SameAsLocalScenarios[scenario];

        var local = await _local.CollectAsync(command, Token);
        var remote = await Remote.CollectAsync(command, Token);

        Assert.Equal(local.Lines(OutputStream.StandardOutput), remote.Lines(OutputStream.StandardOutput));
        Assert.Equal(local.Lines(OutputStream.StandardError), remote.Lines(OutputStream.StandardError));
        Assert.Equal(local.ExitCode(), remote.ExitCode());
        Assert.IsType<CommandStarted>(remote[0]);
    }

    [Fact]
    public async Task StreamAsync_TrickyAndRandomArguments_ArriveByteForByte()
    {
        var arguments = NastyStrings.Tricky.Concat(NastyStrings.Random(seed: 7, count: 600)).ToArray();

        foreach (var batch in arguments.Chunk(150))
        {
            var remote = await Remote.CollectAsync(NastyStrings.HexEcho(batch), Token);

            Assert.Equal(0, remote.ExitCode());
            Assert.Equal(batch.Select(NastyStrings.Hex), remote.Lines(OutputStream.StandardOutput));
        }
    }

    [Fact]
    public async Task StreamAsync_ReportsTheRemotePid()
    {
        var events = await Remote.CollectAsync(CommandSpec.Of("sh", "-c", "echo $$"), Token);

        Assert.Equal(events.ProcessId().ToString(), Assert.Single(events.Lines(OutputStream.StandardOutput)));
    }

    [Fact]
    public async Task StreamAsync_Environment_IsSetButNotInAnyProcessArguments()
    {
        var secret = "slipway-secret-" + Guid.NewGuid().ToString("N");
        var command = CommandSpec.Of("sleep", "30") with { Environment = new Dictionary<string, string> { ["SLIPWAY_SECRET"] = secret } };
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in Remote.StreamAsync(command, cancellation.Token))
            {
                var pid = Assert.IsType<CommandStarted>(item).ProcessId!.Value;
                // The marker is printed just before exec: wait until the wrapper shell has become `sleep`.
                Assert.True(await Poll.UntilAsync(() => File.ReadAllText($"/proc/{pid}/cmdline") == "sleep\u000030\u0000", TimeSpan.FromSeconds(5), Token));

                var ps = await Remote.RunAsync(CommandSpec.Of("ps", "-eo", "args"), cancellationToken: Token);
                Assert.DoesNotContain(ps.StandardOutput, line => line.Contains(secret, StringComparison.Ordinal));
                Assert.Contains("SLIPWAY_SECRET=" + secret, File.ReadAllText($"/proc/{pid}/environ").Split('\0'));
                await cancellation.CancelAsync();
            }
        });
    }

    [Fact]
    public async Task StreamAsync_Environment_IsEnvIWithAFixedPathAndTheLoginsHome_WhichTheCommandCannotReplace()
    {
        // sshd sets SSH_CONNECTION (and the test sshd SHLVL) for every session: env -i must drop them.
        var command = CommandSpec.Of("sh", "-c", "printf '%s|%s|%s|%s|%s|' \"$PATH\" \"$HOME\" \"${SSH_CONNECTION:-absent}\" \"${SHLVL:-absent}\" \"$BUILD_VALUE\"; pwd") with
        {
            Environment = new Dictionary<string, string> { ["PATH"] = "/tmp/evil-bin", ["HOME"] = "/tmp/evil-home", ["BUILD_VALUE"] = "kept" },
        };

        var output = string.Join('\n', (await Remote.CollectAsync(command, Token)).Lines(OutputStream.StandardOutput)).Split('|');

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile); // the test sshd logs in as this machine's root
        Assert.Equal([CommandEnvironment.RemotePath, home, "absent", "absent", "kept", home], output);
    }

    [Fact]
    public async Task StreamAsync_LargeStandardInput_IsDeliveredCompletely()
    {
        var input = string.Concat(Enumerable.Range(0, 50_000).Select(i => $"line {i} ünïcode\n"));

        var result = await Remote.RunAsync(CommandSpec.Of("sh", "-c", "wc -l; cat >/dev/null") with { StandardInput = input }, cancellationToken: Token);

        Assert.Equal("50000", result.Output.Trim());
    }

    [Fact]
    public async Task StreamAsync_ProgramNotFound_ThrowsCommandNotFound()
    {
        var error = await Assert.ThrowsAsync<CommandNotFoundException>(() => Remote.CollectAsync(CommandSpec.Of("slipway-no-such-program"), Token));

        Assert.Equal($"slipway-no-such-program: command not found on {fixture.Ssh.Connection.Description}", error.Message);
    }

    [Fact]
    public async Task StreamAsync_MissingWorkingDirectory_ThrowsStartFailed()
    {
        var command = CommandSpec.Of("pwd") with { WorkingDirectory = "/nonexistent/slipway 'dir'" };

        var error = await Assert.ThrowsAsync<CommandStartFailedException>(() => Remote.CollectAsync(command, Token));

        Assert.Contains("/nonexistent/slipway 'dir'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamAsync_Cancelled_KillsTheRemoteProcessGroup()
    {
        var script = "sleep 1000 & echo \"child $!\"; sh -c 'sleep 1000 & echo \"grandchild $!\"; wait' & wait";
        var (group, children) = await RunUntilCancelledAsync(CommandSpec.Of("sh", "-c", script), expectedLines: 2);

        Assert.All(children, pid => Assert.True(LocalProcesses.IsGone(pid), $"{pid} survived"));
        await AssertGroupGoneAsync(group);
    }

    [Fact]
    public async Task StreamAsync_CancelledGroupIgnoresTerm_IsKilledAfterGrace()
    {
        var script = "trap '' TERM; sleep 1000 & echo \"child $!\"; wait; wait";
        var stopwatch = Stopwatch.StartNew();

        var (group, children) = await RunUntilCancelledAsync(CommandSpec.Of("sh", "-c", script), expectedLines: 1);

        Assert.True(LocalProcesses.IsGone(children[0]));
        await AssertGroupGoneAsync(group);
        Assert.True(stopwatch.Elapsed >= fixture.Ssh.Connection.Options.KillGrace, "SIGKILL came before the grace period ended");
    }

    [Fact]
    public async Task StreamAsync_ConsumerStopsEarly_KillsTheRemoteCommand()
    {
        int group = 0;
        await foreach (var item in Remote.StreamAsync(CommandSpec.Of("sh", "-c", "echo ready; exec sleep 1000"), Token))
        {
            if (item is CommandStarted started)
            {
                group = started.ProcessId!.Value;
            }
            else
            {
                break;
            }
        }

        await AssertGroupGoneAsync(group);
    }

    [Fact]
    public async Task StreamAsync_ManyCommandsAtOnce_ShareTheConnectionWithinItsSessionLimit()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            Remote.RunAsync(CommandSpec.Of("sh", "-c", "sleep 0.2; echo \"$1\"", "sh", i.ToString()), cancellationToken: Token)));

        Assert.Equal(Enumerable.Range(0, 24).Select(i => i.ToString()), results.Select(r => r.Output));
        Assert.Equal(1, fixture.Ssh.Connection.ConnectCount);
    }

    [Fact]
    public async Task StreamAsync_200000Lines_AllArriveInOrder()
    {
        var count = 0;
        var ordered = true;
        var stopwatch = Stopwatch.StartNew();
        await foreach (var item in Remote.StreamAsync(CommandSpec.Of("seq", "1", "200000"), Token))
        {
            if (item is OutputLine line)
            {
                count++;
                ordered &= line.Text == count.ToString();
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"200,000 lines over SSH in {stopwatch.ElapsedMilliseconds} ms");
        Assert.Equal(200_000, count);
        Assert.True(ordered);
    }

    private async Task<(int Group, List<int> Children)> RunUntilCancelledAsync(CommandSpec command, int expectedLines)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var group = 0;
        var children = new List<int>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in Remote.StreamAsync(command, cancellation.Token))
            {
                if (item is CommandStarted started)
                {
                    group = started.ProcessId!.Value;
                }
                else if (item is OutputLine { Stream: OutputStream.StandardOutput } line)
                {
                    children.Add(int.Parse(line.Text.Split(' ')[1]));
                    if (children.Count == expectedLines)
                    {
                        await cancellation.CancelAsync();
                    }
                }
            }
        });
        return (group, children);
    }

    /// <summary>
    /// The follow-up <c>kill -0</c>. Killed processes are gone at once, but an orphan stays a zombie (which
    /// <c>kill -0</c> still finds) until init reaps it, and this machine's init reaps every second or two: poll.
    /// </summary>
    private async Task AssertGroupGoneAsync(int group)
    {
        Assert.True(await Poll.UntilAsync(async () => !await GroupAliveAsync(group), TimeSpan.FromSeconds(10), Token), $"process group {group} is still alive");
    }

    private async Task<bool> GroupAliveAsync(int group)
    {
        var result = await Remote.RunAsync(CommandSpec.Of("sh", "-c", "kill -0 -\"$1\" 2>/dev/null", "sh", group.ToString()), throwOnFailure: false, cancellationToken: Token);
        return result.Succeeded;
    }
}
