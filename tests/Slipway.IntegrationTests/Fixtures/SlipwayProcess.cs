using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Fixtures;

/// <summary>
/// The built <c>slipway serve</c> executable (<c>artifacts/bin/Slipway.Cli/&lt;configuration&gt;/slipway</c>) as a
/// real process on a loopback port, with local repositories allowed. <see cref="KillAsync"/> sends SIGKILL to that
/// one PID only — its children (a running <c>docker build</c>) live on, exactly as after a crash.
/// </summary>
internal sealed class SlipwayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Task _readers;

    private SlipwayProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _readers = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public static SlipwayProcess Start(string dataDir, int port, IReadOnlyDictionary<string, string>? environment = null)
    {
        var url = $"http://127.0.0.1:{port}";
        var info = SlipwayBinary.StartInfo(["serve", "--urls", url, "--data-dir", dataDir]);
        info.Environment["SLIPWAY_ALLOW_LOCAL_REPOSITORIES"] = "true";
        info.Environment["Slipway__Engine__PollInterval"] = "00:00:00.1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return new SlipwayProcess(SlipwayBinary.Start(info), new Uri(url));
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGSTOP: the process is frozen, not dead (its connections and locks stay open).</summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT: a frozen process runs again.</summary>
    public Task ThawAsync() => SignalAsync("CONT");

    /// <summary>Whether a line of the process's output contains <paramref name="text"/>.</summary>
    public bool Printed(string text) => _output.Any(l => l.Contains(text, StringComparison.Ordinal));

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for <c>/api/v1/health</c>; returns the root token if this start printed one.</summary>
    public async Task<string?> WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        var ready = await Poll.UntilAsync(async () =>
        {
            Assert.False(_process.HasExited, $"slipway serve exited with code {(_process.HasExited ? _process.ExitCode : 0)}.\n{Transcript()}");
            try
            {
                using var response = await client.GetAsync(new Uri("/api/v1/health", UriKind.Relative), TestContext.Current.CancellationToken);
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, timeout, TestContext.Current.CancellationToken);
        Assert.True(ready, $"slipway serve did not answer /api/v1/health within {timeout}.\n{Transcript()}");
        const string prefix = "Root API token: ";
        return _output.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..].Trim();
    }

    public HttpClient Api(string token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>SIGKILL to this process alone (not its children), then waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        // A child that inherited an output pipe could hold it open; what was read by now is enough.
        await Task.WhenAny(_readers, Task.Delay(TimeSpan.FromSeconds(5), timeout.Token));
    }

    public string Transcript() => $"$ {SlipwayBinary.FilePath} serve (PID {_process.Id})\n{string.Join('\n', _output)}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            _output.Enqueue(line);
        }
    }
}
