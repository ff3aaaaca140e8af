using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;

namespace Slipway.Bench.AtScale;

/// <summary>
/// Slipway's API as <c>slipway serve</c> builds it (<see cref="SlipwayServer.Build"/>), with the engine off, whose own
/// <see cref="IDeploymentLogStore"/> appends the log lines of running deployments in the same process the reads are
/// served from, as the engine would. Each line is timed from <c>AppendAsync</c> until <c>FlushAsync</c> has stored
/// it (so every line is its own commit: stricter than the engine's 50 ms batches). The periodic retention pass is
/// pushed out of the way; <c>prune</c> runs the real <see cref="LogRetention"/> pass on demand. Commands on stdin:
/// <c>append RATE UUID...</c> (those queued deployments go in_progress and get RATE lines/s each, until quit),
/// <c>phase NAME</c> (label the latencies recorded from now on), <c>prune</c>, <c>stop-prune</c>,
/// <c>stats NAME</c> (prints <c>STATS name count p50 p90 p99 max</c>, ms), <c>quit</c>.
/// </summary>
internal static class AtScaleHost
{
    public static async Task<int> RunAsync(Args args)
    {
        await using var app = SlipwayServer.Build(
        [
            "--urls", args.Get("urls"),
            $"--Slipway:DataDir={args.Get("data-dir")}",
            "--Slipway:Engine:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
        ],
        // Registered before Slipway's default (TryAdd): no periodic pass during the measurement; `prune` runs one.
        builder => builder.Services.AddSingleton(new LogRetentionOptions { FirstPassDelay = TimeSpan.FromDays(30) }));
        await app.StartAsync();
        var log = app.Services.GetRequiredService<IDeploymentLogStore>();
        var store = app.Services.GetRequiredService<IDeploymentStore>();
        var retention = app.Services.GetRequiredService<LogRetention>();
        var contexts = app.Services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>();
        var latencies = new Latencies();
        using var writing = new CancellationTokenSource();
        var writers = new List<Task>();
        CancellationTokenSource? pruning = null;
        Task? pass = null;
        Console.WriteLine("READY");
        while (Console.ReadLine() is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words.FirstOrDefault())
            {
                case "append":
                    var rate = int.Parse(words[1], CultureInfo.InvariantCulture);
                    foreach (var uuid in words[2..])
                    {
                        long id;
                        await using (var db = await contexts.CreateDbContextAsync())
                        {
                            id = await db.Deployments.Where(d => d.Uuid == uuid).Select(d => d.Id).SingleAsync();
                        }

                        if (!await store.TryTransitionAsync(id, [DeploymentStatus.Queued], DeploymentStatus.InProgress, DateTime.UtcNow, CancellationToken.None))
                        {
                            throw new InvalidOperationException($"Deployment {uuid} was not queued.");
                        }

                        writers.Add(Task.Run(() => WriteAsync(log, id, rate, latencies, writing.Token)));
                    }

                    Console.WriteLine("APPENDING");
                    break;
                case "phase":
                    latencies.Phase = words[1];
                    Console.WriteLine("PHASE " + words[1]);
                    break;
                case "prune":
                    pruning = new CancellationTokenSource();
                    // On a thread of its own: Microsoft.Data.Sqlite's async calls complete synchronously, so the pass
                    // would otherwise run to its end before this loop reads the next command.
                    var token = pruning.Token;
                    pass = Task.Run(() => RunPassAsync(retention, token));
                    Console.WriteLine("PRUNING");
                    break;
                case "stop-prune":
                    await pruning!.CancelAsync();
                    await pass!;
                    pruning.Dispose();
                    Console.WriteLine("PRUNE-STOPPED");
                    break;
                case "stats":
                    Console.WriteLine("STATS " + words[1] + " " + latencies.Summary(words[1]));
                    break;
                case "quit":
                    await writing.CancelAsync();
                    await Task.WhenAll(writers);
                    Console.WriteLine("BYE");
                    await app.StopAsync();
                    return 0;
            }
        }

        return 0;
    }

    private static async Task RunPassAsync(LogRetention retention, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var pruned = await retention.RunOnceAsync(cancellationToken);
            Console.WriteLine(FormattableString.Invariant($"PRUNED {pruned} {clock.Elapsed.TotalSeconds:0.0}"));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.WriteLine(FormattableString.Invariant($"PASS-CANCELLED {clock.Elapsed.TotalSeconds:0.0}"));
        }
    }

    /// <summary>RATE lines a second, each appended and flushed on its own and timed; a late line is not waited for.</summary>
    private static async Task WriteAsync(IDeploymentLogStore log, long id, int rate, Latencies latencies, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; !cancellationToken.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > clock.Elapsed)
            {
                try
                {
                    await Task.Delay(due - clock.Elapsed, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var start = Stopwatch.GetTimestamp();
            await log.AppendAsync(id, [LogLine.Info(Line(i))], CancellationToken.None);
            await log.FlushAsync(id, CancellationToken.None);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }

    /// <summary>A typical build line: about 85 characters.</summary>
    private static string Line(int i) => FormattableString.Invariant($"#12 {i * 0.05:0.000} added 3 packages, audited 812 in 2s (line {i:D6} of a running build)");

    private sealed class Latencies
    {
        private readonly Dictionary<string, List<double>> _byPhase = new(StringComparer.Ordinal);
        private readonly Lock _lock = new();

        public string Phase { get; set; } = "start";

        public void Add(double milliseconds)
        {
            lock (_lock)
            {
                if (!_byPhase.TryGetValue(Phase, out var list))
                {
                    _byPhase[Phase] = list = [];
                }

                list.Add(milliseconds);
            }
        }

        public string Summary(string phase)
        {
            double[] sorted;
            lock (_lock)
            {
                sorted = _byPhase.TryGetValue(phase, out var list) ? [.. list] : [];
            }

            if (sorted.Length == 0)
            {
                return "0 - - - -";
            }

            Array.Sort(sorted);
            double At(double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
            return FormattableString.Invariant($"{sorted.Length} {At(0.50):0.00} {At(0.90):0.00} {At(0.99):0.00} {sorted[^1]:0.00}");
        }
    }
}
