using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;

namespace Slipway.Bench.LogFollow;

/// <summary>
/// The "writer" source: a Slipway host (the API, engine off) that writes one deployment's log through its own
/// <see cref="IDeploymentLogStore"/> (the batched <c>EfDeploymentLogStore</c>), line by line as a running build's output
/// arrives, and moves its status through the real store. Commands on stdin:
/// <c>start UUID</c> (in_progress and one warm-up line), <c>write LINES RATE</c> (RATE lines/s, 0 = as fast as the
/// writer takes them; then finished), <c>quit</c>.
/// </summary>
internal static class BenchHost
{
    public const string WarmUp = "bench: warm-up";

    public static async Task<int> RunAsync(BenchArgs args)
    {
        await using var app = SlipwayServer.Build(
        [
            "--urls", args.Get("urls"),
            $"--Slipway:DataDir={args.Get("data-dir")}",
            "--Slipway:Engine:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        var log = app.Services.GetRequiredService<IDeploymentLogStore>();
        var store = app.Services.GetRequiredService<IDeploymentStore>();
        var contexts = app.Services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>();
        long id = 0;
        Console.WriteLine("READY");
        while (Console.ReadLine() is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words.FirstOrDefault())
            {
                case "start":
                    await using (var db = await contexts.CreateDbContextAsync())
                    {
                        id = await db.Deployments.Where(d => d.Uuid == words[1]).Select(d => d.Id).SingleAsync();
                    }

                    await store.TryTransitionAsync(id, [DeploymentStatus.Queued], DeploymentStatus.InProgress, DateTime.UtcNow, CancellationToken.None);
                    await log.AppendAsync(id, [LogLine.Info(WarmUp)], CancellationToken.None);
                    Console.WriteLine("STARTED");
                    break;
                case "write":
                    var seconds = await WriteAsync(log, id, int.Parse(words[1], CultureInfo.InvariantCulture), int.Parse(words[2], CultureInfo.InvariantCulture));
                    // As a run ends: the status, then its last line, then the end of the log.
                    await store.TryTransitionAsync(id, [DeploymentStatus.InProgress], DeploymentStatus.Finished, DateTime.UtcNow, CancellationToken.None);
                    await log.AppendAsync(id, [LogLine.Info("Deployment finished.")], CancellationToken.None);
                    await log.CompleteAsync(id, CancellationToken.None);
                    Console.WriteLine(FormattableString.Invariant($"WRITTEN {seconds:0.000}"));
                    break;
                case "quit":
                    await app.StopAsync();
                    return 0;
            }
        }

        return 0;
    }

    /// <summary>Appends <paramref name="lines"/> lines one call each (as the engine does), paced to <paramref name="rate"/> per second.</summary>
    private static async Task<double> WriteAsync(IDeploymentLogStore log, long id, int lines, int rate)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 1; i <= lines; i++)
        {
            await log.AppendAsync(id, [LogLine.Info(Line(i))], CancellationToken.None);
            if (rate > 0 && i % Math.Max(1, rate / 100) == 0)
            {
                // Paced in 10 ms steps: ahead of schedule, wait for it.
                var due = TimeSpan.FromSeconds((double)i / rate);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }
            }
        }

        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>A typical build line: about 80 characters.</summary>
    public static string Line(int i) => FormattableString.Invariant($"bench line {i:D6} #12 [build 3/7] RUN npm ci --no-audit --prefer-offline ... done");
}
