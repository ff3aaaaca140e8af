using System.Globalization;
using System.Text;

namespace Slipway.Bench.LogFollow;

/// <summary>Compares the CLI's output with the stored log and prints the figures as Markdown.</summary>
internal static class Report
{
    public sealed record Input(
        string Source,
        int Lines,
        int Rate,
        int Followers,
        string Machine,
        string Deployment,
        int CliExitCode,
        string FollowersSummary,
        string WriteSeconds,
        double StartedRss,
        double IdleRss,
        List<(double Seconds, double MiB)> Samples,
        List<(int Order, string Output, DateTime Timestamp, bool Hidden)> Entries,
        List<(string Text, DateTime At)> Printed);

    public static void Print(Input r)
    {
        var visible = r.Entries.Where(e => !e.Hidden).ToList();
        var same = visible.Count == r.Printed.Count && visible.Zip(r.Printed).All(p => p.First.Output == p.Second.Text);
        var measured = Enumerable.Range(0, Math.Min(visible.Count, r.Printed.Count))
            .Where(i => visible[i].Output.Contains("bench line ", StringComparison.Ordinal))
            .ToList();
        var delays = measured.Select(i => (r.Printed[i].At - visible[i].Timestamp).TotalMilliseconds).Order().ToList();
        var firstStored = measured.Count > 0 ? visible[measured[0]].Timestamp : default;
        var lastStored = measured.Count > 0 ? visible[measured[^1]].Timestamp : default;
        var lastPrinted = measured.Count > 0 ? r.Printed[measured[^1]].At : default;
        var during = r.Samples.Where(s => !double.IsNaN(s.MiB)).ToList();

        var text = new StringBuilder();
        Line(text, $"- source: **{r.Source}**; {r.Lines:N0} lines{(r.Source == "writer" ? r.Rate > 0 ? $" at {r.Rate:N0} lines/s" : " as fast as the writer takes them" : " printed by `RUN` in a Dockerfile built by the engine")}; {r.Followers} followers (1 measured `slipway logs --follow` + {r.Followers - 1} SSE clients)");
        Line(text, $"- machine: {r.Machine}");
        Line(text, $"- CLI output equals the stored log (every visible entry, in order): **{(same ? "yes" : "NO")}** ({r.Printed.Count:N0} lines printed, {visible.Count:N0} stored); CLI exit code {r.CliExitCode}");
        Line(text, $"- other followers: `{r.FollowersSummary}`");
        Line(text, $"- bench lines measured: {delays.Count:N0}; stored over {(lastStored - firstStored).TotalSeconds:0.0} s (writer loop {r.WriteSeconds} s); last printed {(lastPrinted - lastStored).TotalMilliseconds:0} ms after the last was stored");
        Line(text, $"- delay stored → printed: p50 **{Stats.Percentile(delays, 50):0.0} ms**, p90 {Stats.Percentile(delays, 90):0.0} ms, p99 **{Stats.Percentile(delays, 99):0.0} ms**, max {(delays.Count > 0 ? delays[^1] : double.NaN):0.0} ms");
        Line(text, $"- server RSS: {r.StartedRss:0} MiB after start, {r.IdleRss:0} MiB with the followers connected before the lines, max {during.Max(s => s.MiB):0} MiB while streaming, {during[^1].MiB:0} MiB at the end");
        Line(text, $"- RSS every ~10% of the run (s: MiB): {string.Join(", ", Spread(during).Select(s => $"{s.Seconds:0}: {s.MiB:0}"))}");
        Console.Write(text.ToString());
    }

    private static IEnumerable<(double Seconds, double MiB)> Spread(List<(double Seconds, double MiB)> samples)
    {
        var step = Math.Max(1, samples.Count / 10);
        for (var i = 0; i < samples.Count; i += step)
        {
            yield return samples[i];
        }

        if ((samples.Count - 1) % step != 0)
        {
            yield return samples[^1];
        }
    }

    private static void Line(StringBuilder text, FormattableString line) => text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
