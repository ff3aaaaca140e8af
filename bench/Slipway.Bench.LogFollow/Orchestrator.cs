using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Slipway.Bench.LogFollow;

/// <summary>
/// <c>run</c>: one measurement. Starts the server (<c>writer</c>: <see cref="BenchHost"/>; <c>engine</c>: the real
/// <c>slipway serve</c> building a Dockerfile that prints the lines), one measured <c>slipway logs --follow</c> whose
/// stdout lines are timestamped as they arrive, and the other followers; samples the server's RSS every 250 ms;
/// then compares what the CLI printed with the stored log and reports the delays.
/// </summary>
internal static class Orchestrator
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(30);

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var source = args.Get("source", "writer");
        var lines = args.Int("lines", 100_000);
        var rate = args.Int("rate", 2_000);
        var total = args.Int("followers", 50);
        var slipway = Path.GetFullPath(args.Get("slipway"));
        var work = Directory.CreateTempSubdirectory("slipway-bench-logfollow-").FullName;
        var url = $"http://127.0.0.1:{FreePort()}";
        var machine = Stats.Machine();
        await using var server = source == "writer"
            ? new Child(Environment.ProcessPath!, ["host", "--urls", url, "--data-dir", Path.Combine(work, "data")])
            : new Child(slipway, ["serve", "--urls", url, "--data-dir", Path.Combine(work, "data")]);
        var token = (await server.WaitForLineAsync("Root API token: ", TimeSpan.FromMinutes(2)))["Root API token: ".Length..];
        using var api = new ServerApi(url, token);
        await api.WaitUntilHealthyAsync();
        var startedRss = Stats.RssMiB(server.Id);
        var deployment = source == "writer"
            ? await api.QueueStaticDeploymentAsync()
            : await api.QueueDockerfileDeploymentAsync(Dockerfile(lines, FreePort()));

        var samples = new List<(double Seconds, double MiB)>();
        var clock = Stopwatch.StartNew();
        using var stopSampling = new CancellationTokenSource();
        var sampling = SampleAsync(server.Id, clock, samples, stopSampling.Token);

        var printed = new List<(string Text, DateTime At)>(lines + 1000);
        await using var followers = new Child(Environment.ProcessPath!,
            ["followers", "--url", url, "--token", token, "--deployment", deployment, "--count", (total - 1).ToString(CultureInfo.InvariantCulture)]);
        await using var cli = new Child(slipway, ["logs", deployment, "--follow"],
            new Dictionary<string, string> { ["SLIPWAY_URL"] = url, ["SLIPWAY_TOKEN"] = token, ["XDG_CONFIG_HOME"] = work },
            (line, at) =>
            {
                lock (printed)
                {
                    printed.Add((line, at));
                }
            });

        double idleRss;
        if (source == "writer")
        {
            server.Send($"start {deployment}");
            await server.WaitForLineAsync("STARTED", Long);
            await cli.WaitForLineAsync(BenchHost.WarmUp, Long);
            await followers.WaitForLineAsync("CONNECTED", Long);
            idleRss = Stats.RssMiB(server.Id);
            server.Send($"write {lines} {rate}");
        }
        else
        {
            await followers.WaitForLineAsync("CONNECTED", Long);
            idleRss = Stats.RssMiB(server.Id);
        }

        await cli.WaitForExitAsync(Long);
        await followers.WaitForExitAsync(Long);
        await stopSampling.CancelAsync();
        await sampling;
        var written = source == "writer" ? (await server.WaitForLineAsync("WRITTEN", Long))[8..] : "-";
        var entries = await api.EntriesAsync(deployment);
        if (source == "writer")
        {
            server.Send("quit");
            await server.WaitForExitAsync(TimeSpan.FromMinutes(1));
        }

        if (Environment.GetEnvironmentVariable("BENCH_DUMP_SERVER_ERRORS") == "1")
        {
            await File.WriteAllTextAsync("/tmp/bench-server-stderr.txt", server.Errors);
        }

        Report.Print(new Report.Input(source, lines, rate, total, machine, deployment, cli.ExitCode, followers.Lines.LastOrDefault() ?? "-",
            written, startedRss, idleRss, samples, entries, printed));
        return cli.ExitCode == 0 && followers.ExitCode == 0 ? 0 : 1;
    }

    private static string Dockerfile(int lines, int port) =>
        $"""
        FROM slipway-test/busybox:latest
        RUN i=1; while [ $i -le {lines} ]; do echo "bench line $i"; i=$((i+1)); done
        CMD ["httpd", "-f", "-p", "{port}", "-h", "/"]
        """;

    private static async Task SampleAsync(int processId, Stopwatch clock, List<(double, double)> samples, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            do
            {
                samples.Add((clock.Elapsed.TotalSeconds, Stats.RssMiB(processId)));
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
