using System.Globalization;
using System.Text.RegularExpressions;

namespace Slipway.Cli.Output;

/// <summary>Durations as people type them: <c>30m</c>, <c>90s</c>, <c>1h30m</c>, <c>2h</c>, or plain seconds.</summary>
internal static partial class Durations
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var value = text.Trim();
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return seconds > 0;
        }

        var match = Pattern().Match(value);
        if (!match.Success || match.Length == 0)
        {
            return false;
        }

        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value[^1];
            var amount = long.Parse(part.Value.AsSpan(0, part.Length - (part.Value.EndsWith("ms", StringComparison.Ordinal) ? 2 : 1)), CultureInfo.InvariantCulture);
            duration += part.Value.EndsWith("ms", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(amount)
                : unit switch
                {
                    'h' => TimeSpan.FromHours(amount),
                    'm' => TimeSpan.FromMinutes(amount),
                    _ => TimeSpan.FromSeconds(amount),
                };
        }

        return duration > TimeSpan.Zero;
    }

    public static string Format(TimeSpan duration) =>
        duration.TotalHours >= 1 ? $"{(int)duration.TotalHours}h{duration.Minutes:00}m{duration.Seconds:00}s"
        : duration.TotalMinutes >= 1 ? $"{(int)duration.TotalMinutes}m{duration.Seconds:00}s"
        : $"{duration.TotalSeconds:0.0}s";

    [GeneratedRegex(@"^(?<part>[0-9]{1,6}(?:ms|h|m|s))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
