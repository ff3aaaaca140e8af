namespace Slipway.Core.Execution;

/// <summary>The outcome of a command run to completion.</summary>
public sealed record CommandResult(int ExitCode, IReadOnlyList<string> StandardOutput, IReadOnlyList<string> StandardErrorTail)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>True when more standard output came than the result keeps (it was all streamed to the log).</summary>
    public bool StandardOutputTruncated { get; init; }

    public string Output => string.Join('\n', StandardOutput);
}
