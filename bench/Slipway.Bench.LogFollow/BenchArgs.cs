using System.Globalization;

namespace Slipway.Bench.LogFollow;

/// <summary><c>--name value</c> pairs.</summary>
internal sealed class BenchArgs(Dictionary<string, string> values)
{
    public static BenchArgs Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        return new BenchArgs(values);
    }

    public string Get(string name, string? fallback = null) =>
        values.TryGetValue(name, out var value) ? value : fallback ?? throw new ArgumentException($"--{name} is required.");

    public int Int(string name, int fallback) =>
        values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
