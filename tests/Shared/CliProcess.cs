using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Slipway.Testing;

/// <summary>
/// A <c>slipway</c> client command running as a real process, for tests that act while it runs (a follower waiting
/// for lines). Lines it prints are timestamped as they arrive.
/// </summary>
internal sealed class CliProcess : IAsyncDisposable
{
    /// <summary>Upper bound for one command run to completion (admin or client); they normally take a second or two.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly string[] _arguments;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly StringBuilder _stdoutText = new();
    private readonly StringBuilder _stderrText = new();
    private readonly Task _readers;

    private CliProcess(Process process, string[] arguments)
    {
        _process = process;
        _arguments = arguments;
        _readers = Task.WhenAll(PumpAsync(process.StandardOutput, _stdoutText, _stdout), PumpAsync(process.StandardError, _stderrText, null));
    }

    public int ProcessId => _process.Id;

    public IReadOnlyList<string> OutputLines => _stdout.ToArray();

    public static CliProcess Start(string[] arguments, IReadOnlyDictionary<string, string?> environment, string? input = null)
    {
        var info = SlipwayBinary.StartInfo(arguments);
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return new CliProcess(SlipwayBinary.Start(info, input), arguments);
    }

    /// <summary>Polls until stdout has <paramref name="count"/> lines; fails if the process ends first or time runs out.</summary>
    public async Task<IReadOnlyList<string>> WaitForLinesAsync(int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (_stdout.Count < count)
        {
            if (_process.HasExited)
            {
                await _readers.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
                Assert.Fail($"slipway exited before printing {count} lines.\n{await ResultAsync()}");
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"slipway printed {_stdout.Count} of {count} lines within {timeout}.\n{Transcript()}");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        return OutputLines;
    }

    /// <summary>Waits for the process to exit (killing it after <paramref name="timeout"/>) and returns what it printed.</summary>
    public async Task<CliResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"slipway did not exit within {timeout}.\n{Transcript()}");
        }

        return await ResultAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private async Task<CliResult> ResultAsync()
    {
        await _readers.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        lock (_stdoutText)
        {
            lock (_stderrText)
            {
                return new CliResult(_arguments, _process.ExitCode, _stdoutText.ToString(), _stderrText.ToString());
            }
        }
    }

    private string Transcript()
    {
        lock (_stdoutText)
        {
            lock (_stderrText)
            {
                return $"$ slipway {string.Join(' ', _arguments)}\n--- stdout ---\n{_stdoutText}--- stderr ---\n{_stderrText}";
            }
        }
    }

    /// <summary>Copies the stream as it is (a lone CR stays inside its line); lines are split at LF only.</summary>
    private static async Task PumpAsync(StreamReader reader, StringBuilder text, ConcurrentQueue<string>? lines)
    {
        var buffer = new char[8192];
        var partial = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (text)
            {
                text.Append(buffer, 0, read);
            }

            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == '\n')
                {
                    lines?.Enqueue(partial.ToString());
                    partial.Clear();
                }
                else
                {
                    partial.Append(buffer[i]);
                }
            }
        }
    }
}

/// <summary>What one finished <c>slipway</c> command printed and returned.</summary>
internal sealed record CliResult(IReadOnlyList<string> Arguments, int ExitCode, string StandardOutput, string StandardError)
{
    public IReadOnlyList<string> OutputLines => Lines(StandardOutput);

    public IReadOnlyList<string> ErrorLines => Lines(StandardError);

    /// <summary>Fails the test with everything the command printed unless it exited 0.</summary>
    public CliResult AssertSucceeded()
    {
        Assert.True(ExitCode == 0, $"Expected exit code 0.\n{this}");
        return this;
    }

    /// <summary>Fails unless the command exited with <paramref name="exitCode"/> and one <c>ERROR:</c> line (no stack trace) mentioning <paramref name="mentioning"/>.</summary>
    public CliResult AssertError(int exitCode, string mentioning)
    {
        Assert.True(ExitCode == exitCode, $"Expected exit code {exitCode}.\n{this}");
        var error = Assert.Single(ErrorLines, l => l.StartsWith("ERROR: ", StringComparison.Ordinal));
        Assert.Contains(mentioning, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", StandardError, StringComparison.Ordinal);
        return this;
    }

    public override string ToString() =>
        $"$ slipway {string.Join(' ', Arguments)}\nexit code {ExitCode}\n--- stdout ---\n{StandardOutput}--- stderr ---\n{StandardError}";

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}
