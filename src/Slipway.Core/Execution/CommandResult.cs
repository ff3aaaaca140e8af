namespace Slipway.Core.Execution;

/// <summary>The outcome of a command run to completion.</summary>
public sealed record CommandResult(int ExitCode, IReadOnlyList<string> StandardOutput, IReadOnlyList<string> StandardErrorTail)
{
    public bool Succeeded => ExitCode == 0;

    public string Output => string.Join('\n', StandardOutput);
}
