using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Core.Execution;
using Slipway.Infrastructure.Execution;
using Slipway.IntegrationTests.Fixtures;

namespace Slipway.IntegrationTests.Execution;

/// <summary>
/// The exec request the SSH runner sends, run here the way sshd runs it: as the single <c>-c</c> argument of the
/// login shell (bash and dash), with no sshd in between, so every case can be checked quickly and exactly.
/// </summary>
public sealed class RemoteCommandLineTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private readonly LocalCommandRunner _local = new(NullLogger<LocalCommandRunner>.Instance);

    [Theory]
    [InlineData("bash")]
    [InlineData("dash")]
    public async Task Text_RunByALoginShell_PrintsTheMarkerAndPassesArgumentsByteForByte(string loginShell)
    {
        var arguments = NastyStrings.Tricky.Concat(NastyStrings.Random(seed: 11, count: 200)).ToArray();
        var line = RemoteCommandLine.Build(NastyStrings.HexEcho(arguments));

        var events = await _local.CollectAsync(CommandSpec.Of(loginShell, "-c", line.Text), Token);

        var stdout = events.Lines(OutputStream.StandardOutput);
        var start = line.ParseMarker(stdout[0]);
        Assert.Equal(RemoteStartKind.Running, start?.Kind);
        Assert.Equal(events.ProcessId(), start!.ProcessId); // every step execs: the marker PID is the program's
        Assert.Equal(arguments.Select(NastyStrings.Hex), stdout.Skip(1));
        Assert.Empty(events.Lines(OutputStream.StandardError));
    }

    [Fact]
    public async Task Text_ShellThatIsNotAGroupLeader_GivesTheProgramItsOwnProcessGroupWithoutForking()
    {
        // Started by this test process, bash shares the test's process group (unlike a session sshd starts), so
        // the script must take the setsid path: same PID, new group.
        var line = RemoteCommandLine.Build(CommandSpec.Of("sh", "-c", "read -r _ _ _ _ group _ </proc/$$/stat; echo \"$$ $group\""));

        var events = await _local.CollectAsync(CommandSpec.Of("bash", "-c", line.Text), Token);

        var stdout = events.Lines(OutputStream.StandardOutput);
        var pid = line.ParseMarker(stdout[0])!.ProcessId;
        Assert.Equal($"{pid} {pid}", stdout[1]);
        Assert.Equal(events.ProcessId(), pid);
        Assert.NotEqual(Environment.ProcessId, pid);
    }

    [Fact]
    public async Task Text_EnvironmentAndWorkingDirectory_AreAppliedBeforeTheProgramRuns()
    {
        var value = "it's \"quoted\" $(id) `id` \\ \n second line";
        var command = CommandSpec.Of("sh", "-c", "pwd; printf '%s' \"$SLIPWAY_VALUE\" | od -An -tx1 -v | tr -d ' \\n'") with
        {
            Environment = new Dictionary<string, string> { ["SLIPWAY_VALUE"] = value },
            WorkingDirectory = "/tmp",
        };
        var line = RemoteCommandLine.Build(command);

        var stdout = (await _local.CollectAsync(CommandSpec.Of("bash", "-c", line.Text), Token)).Lines(OutputStream.StandardOutput);

        Assert.Equal(["/tmp", NastyStrings.Hex(value)], stdout.Skip(1));
        Assert.DoesNotContain(value, line.Marker, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_DottedEnvironmentName_ReachesTheProgramThroughEnv_AlongsidePlainOnes()
    {
        var value = "it's $(id) `id` ; \\ \"x\"";
        var command = CommandSpec.Of("env") with
        {
            Environment = new Dictionary<string, string> { ["spring.profiles.active"] = "prod", ["PLAIN"] = value, ["a.b"] = value },
        };
        var line = RemoteCommandLine.Build(command);

        var stdout = (await _local.CollectAsync(CommandSpec.Of("bash", "-c", line.Text), Token)).Lines(OutputStream.StandardOutput);

        Assert.Contains("spring.profiles.active=prod", stdout);
        Assert.Contains($"PLAIN={value}", stdout);
        Assert.Contains($"a.b={value}", stdout);
    }

    [Fact]
    public async Task Text_MissingProgram_PrintsTheNotFoundMarkerAndExits127()
    {
        var line = RemoteCommandLine.Build(CommandSpec.Of("slipway-no-such-program"));

        var events = await _local.CollectAsync(CommandSpec.Of("bash", "-c", line.Text), Token);

        Assert.Equal(RemoteStart.NotFound, line.ParseMarker(Assert.Single(events.Lines(OutputStream.StandardOutput))));
        Assert.Equal(127, events.ExitCode());
    }

    [Fact]
    public async Task Text_MissingWorkingDirectory_PrintsTheNoDirectoryMarker()
    {
        var line = RemoteCommandLine.Build(CommandSpec.Of("pwd") with { WorkingDirectory = "/nonexistent/dir" });

        var events = await _local.CollectAsync(CommandSpec.Of("bash", "-c", line.Text), Token);

        Assert.Equal(RemoteStart.NoDirectory, line.ParseMarker(Assert.Single(events.Lines(OutputStream.StandardOutput))));
        Assert.Empty(events.Lines(OutputStream.StandardError));
    }

    [Fact]
    public void ParseMarker_OnlyAcceptsThisCommandsMarker()
    {
        var line = RemoteCommandLine.Build(CommandSpec.Of("true"));
        var other = RemoteCommandLine.Build(CommandSpec.Of("true"));

        Assert.NotEqual(line.Marker, other.Marker);
        Assert.Equal(RemoteStart.Running(1234), line.ParseMarker($"{line.Marker} 1234"));
        Assert.Null(line.ParseMarker($"{other.Marker} 1234"));
        Assert.Null(line.ParseMarker($"{line.Marker} 12x"));
        Assert.Null(line.ParseMarker("Welcome to the server!"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1ABC")]
    [InlineData("A-B")]
    [InlineData("A B")]
    [InlineData("A=B")]
    [InlineData("-A")]
    [InlineData(".A")]
    [InlineData("$(id)")]
    public void Build_InvalidEnvironmentName_IsRefused(string name)
    {
        var command = CommandSpec.Of("true") with { Environment = new Dictionary<string, string> { [name] = "x" } };

        Assert.Throws<ArgumentException>(() => RemoteCommandLine.Build(command));
    }

    [Fact]
    public void Build_NulInAnArgument_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => RemoteCommandLine.Build(CommandSpec.Of("echo", "a\0b")));
    }

    [Fact]
    public void Build_CommandLongerThanOneShellArgument_IsRefusedWithAClearMessage()
    {
        var error = Assert.Throws<ArgumentException>(() => RemoteCommandLine.Build(CommandSpec.Of("echo", new string('x', RemoteCommandLine.MaxLength))));

        Assert.Contains("standard input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_NeverContainsTheEnvironmentValueUnquoted()
    {
        var line = RemoteCommandLine.Build(CommandSpec.Of("true") with { Environment = new Dictionary<string, string> { ["K"] = "a'b" } });

        // Quoted twice: once inside the script (one word for env), once as the script's own argument to sh -c.
        Assert.Contains(ShellQuoting.Quote("exec env -i " + ShellQuoting.Quote("K=a'b"))[1..^1], line.Text, StringComparison.Ordinal);
    }
}
