using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Slipway.Api.Tests.Fixtures;
using Slipway.Testing;

namespace Slipway.Api.Tests.Cli;

/// <summary>
/// One <c>slipway</c> command of the built executable (<see cref="SlipwayBinary"/>) run to completion as a real
/// process, and where the data of a <see cref="TestDatabase"/> is, in the executable's flags.
/// </summary>
internal static class SlipwayExecutable
{
    /// <summary>Where the data lives: <c>--data-dir</c>, plus PostgreSQL when the test tier uses it.</summary>
    public static string[] DataArguments(TestDatabase database) =>
        database.ConnectionString is null
            ? ["--data-dir", database.DataDir]
            : ["--data-dir", database.DataDir, "--database", "postgres", "--postgres", database.ConnectionString];

    /// <summary>Runs one command to completion (killing it after <see cref="CliProcess.CommandTimeout"/>).</summary>
    public static async Task<CliResult> RunAsync(params string[] arguments)
    {
        await using var process = CliProcess.Start(arguments, new Dictionary<string, string?>());
        return await process.WaitForExitAsync(CliProcess.CommandTimeout);
    }

    /// <summary>Runs one command to completion with <paramref name="input"/> on its standard input.</summary>
    public static async Task<CliResult> RunWithInputAsync(string input, params string[] arguments)
    {
        await using var process = CliProcess.Start(arguments, new Dictionary<string, string?>(), input);
        return await process.WaitForExitAsync(CliProcess.CommandTimeout);
    }
}

/// <summary>A <c>slipway serve</c> process on a free loopback port; disposing it kills it.</summary>
internal sealed class ServedSlipway : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly Task _readers;

    private ServedSlipway(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _readers = Task.WhenAll(Pump(process.StandardOutput, _stdout), Pump(process.StandardError, _stderr));
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public IReadOnlyList<string> OutputLines => _stdout.ToArray();

    public static ServedSlipway Start(TestDatabase database, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? arguments = null)
    {
        var url = $"http://127.0.0.1:{SlipwayBinary.FreeLoopbackPort()}";
        var info = SlipwayBinary.StartInfo(["serve", "--urls", url, .. SlipwayExecutable.DataArguments(database), .. arguments ?? []]);
        // PostgreSQL keeps the Data Protection keys in the database, encrypted with this.
        info.Environment["SLIPWAY_MASTER_KEY"] = "served-test-master-key-0123456789abcdefghijklmnop";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return new ServedSlipway(SlipwayBinary.Start(info), new Uri(url));
    }

    /// <summary>Polls stdout until a line starts with <paramref name="prefix"/>; fails if the process exits or time runs out.</summary>
    public async Task<string> WaitForOutputLineAsync(string prefix, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_stdout.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            FailIfExited($"printing '{prefix}'");
            if (deadline.Elapsed > timeout)
            {
                Assert.Fail($"slipway serve printed no '{prefix}' line within {timeout}.\n{Transcript()}");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Polls <c>GET /api/v1/health</c> until it answers 200.</summary>
    public async Task WaitUntilHealthyAsync(HttpClient client, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, "/api/v1/health"), TestContext.Current.CancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            FailIfExited("answering /api/v1/health");
            if (deadline.Elapsed > timeout)
            {
                Assert.Fail($"slipway serve did not answer /api/v1/health within {timeout}.\n{Transcript()}");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Kills the process (by its PID) and returns every stdout line it printed.</summary>
    public async Task<IReadOnlyList<string>> StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        await _readers.WaitAsync(timeout.Token);
        return _stdout.ToArray();
    }

    public string Transcript() =>
        $"$ {SlipwayBinary.FilePath} serve (PID {_process.Id})\n--- stdout ---\n{string.Join('\n', _stdout)}\n--- stderr ---\n{string.Join('\n', _stderr)}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void FailIfExited(string before)
    {
        if (_process.HasExited)
        {
            Assert.Fail($"slipway serve exited with code {_process.ExitCode} before {before}.\n{Transcript()}");
        }
    }

    private static async Task Pump(StreamReader reader, ConcurrentQueue<string> lines)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Enqueue(line);
        }
    }
}
