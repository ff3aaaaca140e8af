namespace Slipway.Cli;

/// <summary>A failure to report as one <c>ERROR:</c> line and an exit code, without a stack trace.</summary>
public sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
