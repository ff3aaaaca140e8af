namespace Slipway.Core.Execution;

/// <summary>What a running command reports, in order: started, zero or more lines, exited.</summary>
public abstract record CommandEvent;

/// <summary>The command started; <paramref name="ProcessId"/> is the PID on the machine that runs it.</summary>
public sealed record CommandStarted(int? ProcessId) : CommandEvent;

public sealed record OutputLine(OutputStream Stream, string Text) : CommandEvent;

public sealed record CommandExited(int ExitCode) : CommandEvent;

public enum OutputStream
{
    StandardOutput,
    StandardError,
}
