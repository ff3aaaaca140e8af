using System.Collections.Concurrent;
using System.Diagnostics;

namespace Slipway.Bench.LogFollow;

/// <summary>A child process whose stdout lines are handed to a callback the moment they are read, with the time.</summary>
internal sealed class Child : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Thread _reader;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<string> _errors = new();

    public Child(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, Action<string, DateTime>? onLine = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        // A thread of its own, so a busy thread pool never delays when a line is seen.
        _reader = new Thread(() =>
        {
            while (_process.StandardOutput.ReadLine() is { } line)
            {
                var at = DateTime.UtcNow;
                onLine?.Invoke(line, at);
                _lines.Enqueue(line);
            }
        })
        { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        _reader.Start();
        _ = Task.Run(async () =>
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
            {
                _errors.Enqueue(line);
            }
        });
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IEnumerable<string> Lines => _lines;

    public string Errors => string.Join('\n', _errors);

    public void Send(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>Polls until a stdout line starts with <paramref name="prefix"/>.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            if (_process.HasExited || clock.Elapsed > timeout)
            {
                throw new InvalidOperationException($"{_process.StartInfo.FileName} printed no '{prefix}' line (exited: {_process.HasExited}).\n{Errors}");
            }

            await Task.Delay(20);
        }
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _reader.Join(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
