namespace Slipway.Core.Deployments;

/// <summary>A line to append to a deployment's log; the log assigns its order and timestamp.</summary>
public sealed record LogLine(string Output, string Type = LogLine.Stdout, string? Command = null, bool Hidden = false, int Batch = 1)
{
    public const string Stdout = "stdout";
    public const string Stderr = "stderr";

    public static LogLine Info(string output, bool hidden = false) => new(output, Stdout, null, hidden);

    public static LogLine Error(string output) => new(output, Stderr);
}
