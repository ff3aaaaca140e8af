namespace Slipway.Core.Execution;

/// <summary>A command exited with a non-zero code (CliWrap's opt-in validation).</summary>
public sealed class CommandFailedException(CommandSpec command, int exitCode, IReadOnlyList<string> standardErrorTail)
    : Exception(FormatMessage(command, exitCode, standardErrorTail))
{
    public CommandSpec Command { get; } = command;
    public int ExitCode { get; } = exitCode;
    public IReadOnlyList<string> StandardErrorTail { get; } = standardErrorTail;

    private static string FormatMessage(CommandSpec command, int exitCode, IReadOnlyList<string> tail)
    {
        // git names the remote in its errors; the message reaches logs, so a URL's credentials are removed as the command's are.
        var last = tail.Count > 0 ? $": {Deployments.LogRedactor.Redact(tail[^1], null)}" : string.Empty;
        return $"Command failed (exit code {exitCode}): {command.ToDisplayString()}{last}";
    }
}
