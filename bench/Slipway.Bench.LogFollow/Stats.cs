using System.Globalization;

namespace Slipway.Bench.LogFollow;

internal static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>Resident memory of a process in MiB, from <c>/proc/PID/status</c>.</summary>
    public static double RssMiB(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return double.NaN;
    }

    public static string Machine()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))[9..].Trim();
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
        return $"{Environment.ProcessorCount} cores ({cpu}), {memory} RAM, load average {string.Join(' ', load)}, .NET {Environment.Version}";
    }
}
