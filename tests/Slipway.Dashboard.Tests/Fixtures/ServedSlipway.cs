using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Slipway.Testing;

namespace Slipway.Dashboard.Tests.Fixtures;

/// <summary>
/// A real <c>slipway serve</c> (the built executable) on a free loopback port with a data directory of its own and
/// local repositories allowed, as a user starts it; it prints the root token and the one-time setup URL, which the
/// tests read. Stopped, and the containers and images of the applications it deployed removed, on dispose.
/// </summary>
public sealed partial class ServedSlipway : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dataDir;

    private ServedSlipway(Process process, string dataDir, Uri baseAddress)
    {
        _process = process;
        _dataDir = dataDir;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public string RootToken { get; private set; } = string.Empty;
    public string SetupUrl { get; private set; } = string.Empty;

    /// <summary>Everything the server wrote so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServedSlipway> StartAsync()
    {
        var dataDir = Directory.CreateTempSubdirectory("slipway-dashboard-").FullName;
        var port = SlipwayBinary.FreeLoopbackPort();
        var info = SlipwayBinary.StartInfo(["serve", "--urls", $"http://127.0.0.1:{port}", "--data-dir", dataDir]);
        info.Environment["SLIPWAY_ALLOW_LOCAL_REPOSITORIES"] = "true";
        var served = new ServedSlipway(SlipwayBinary.Start(info), dataDir, new Uri($"http://127.0.0.1:{port}"));
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        served._process.OutputDataReceived += (_, e) => served.Read(e.Data, ready);
        served._process.ErrorDataReceived += (_, e) => served.Read(e.Data, ready);
        served._process.BeginOutputReadLine();
        served._process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(StartTimeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            await served.DisposeAsync();
            throw new InvalidOperationException($"slipway serve printed no setup URL within {StartTimeout}:\n{served.Output}");
        }

        return served;
    }

    private void Read(string? line, TaskCompletionSource ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith("Root API token: ", StringComparison.Ordinal))
        {
            RootToken = line["Root API token: ".Length..].Trim();
        }
        else if (SetupLine().Match(line) is { Success: true } setup)
        {
            SetupUrl = setup.Groups[1].Value;
            ready.TrySetResult();
        }
    }

    /// <summary>A client of the server's API with the root token (to look up what the pages created, and to clean up).</summary>
    public HttpClient Api()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", RootToken);
        return client;
    }

    /// <summary>Runs an admin command of the same executable on this server's data directory; its standard output.</summary>
    public async Task<string> RunCommandAsync(string? input, params string[] arguments)
    {
        using var process = SlipwayBinary.Start(SlipwayBinary.StartInfo([.. arguments, "--data-dir", _dataDir]), input);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"slipway {string.Join(' ', arguments)}: exit {process.ExitCode}\n{await output}{await error}");
        return await output;
    }

    public async ValueTask DisposeAsync()
    {
        var applications = new List<string>();
        if (!_process.HasExited)
        {
            try
            {
                using var api = Api();
                using var listed = await api.GetAsync("/api/v1/applications");
                var json = System.Text.Json.JsonDocument.Parse(await listed.Content.ReadAsStringAsync());
                applications.AddRange(json.RootElement.EnumerateArray().Select(a => a.GetProperty("uuid").GetString()!));
            }
            catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or InvalidOperationException or TaskCanceledException)
            {
                // Nothing deployed that we can name: the containers' labels are still checked below.
            }

            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        foreach (var application in applications)
        {
            await Docker.RemoveApplicationAsync(application);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex(@"^Dashboard setup URL \(creates the first owner; works once\): (\S+)$")]
    private static partial Regex SetupLine();
}
