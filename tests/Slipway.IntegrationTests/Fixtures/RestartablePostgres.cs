using System.Diagnostics;
using System.Globalization;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Fixtures;

/// <summary>
/// A PostgreSQL 15 server of one test's own (initdb in a temporary directory, a free port on 127.0.0.1, run as the
/// postgres user), so the test can stop and start it without touching the server the other tests share.
/// </summary>
internal sealed class RestartablePostgres : IAsyncDisposable
{
    private static readonly string Bin = Environment.GetEnvironmentVariable("SLIPWAY_TEST_PG_BIN") is { Length: > 0 } bin ? bin : "/usr/lib/postgresql/15/bin";

    private readonly string _directory;
    private readonly int _port = SlipwayBinary.FreeLoopbackPort();

    private RestartablePostgres(string directory) => _directory = directory;

    public string AdminConnectionString => $"Host=127.0.0.1;Port={_port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=postgres";

    private string DataDirectory => Path.Combine(_directory, "data");

    public static async Task<RestartablePostgres> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("slipway-own-pg-").FullName;
        var server = new RestartablePostgres(directory);
        await RunAsync("chown", "postgres:postgres", directory);
        await server.AsPostgresAsync(Path.Combine(Bin, "initdb"), "-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions");
        await server.StartServerAsync();
        return server;
    }

    /// <summary>Stops the server (fast shutdown: every connection is closed), keeps it down for <paramref name="down"/>, starts it again.</summary>
    public async Task RestartAsync(TimeSpan down)
    {
        await StopServerAsync("fast");
        await Task.Delay(down, TestContext.Current.CancellationToken);
        await StartServerAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopServerAsync("immediate");
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private Task StartServerAsync() => AsPostgresAsync(
        Path.Combine(Bin, "pg_ctl"), "start", "-D", DataDirectory, "-l", Path.Combine(_directory, "postgres.log"), "-w", "-t", "60",
        "-o", $"-h 127.0.0.1 -p {_port.ToString(CultureInfo.InvariantCulture)} -k {_directory} -c fsync=off -c synchronous_commit=off -c max_connections=200");

    private Task StopServerAsync(string mode) => AsPostgresAsync(Path.Combine(Bin, "pg_ctl"), "stop", "-D", DataDirectory, "-m", mode, "-w", "-t", "60");

    private Task AsPostgresAsync(params string[] command) => RunAsync(["-u", "postgres", "--", .. command], "runuser", _directory);

    private static Task RunAsync(params string[] command) => RunAsync(command[1..], command[0], "/");

    private static async Task RunAsync(string[] arguments, string program, string workingDirectory)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} could not be started.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
