namespace Slipway.Core.Execution;

/// <summary>The program of a command does not exist on the machine that was asked to run it (a shell's exit 127).</summary>
public sealed class CommandNotFoundException(CommandSpec command, string where, Exception? innerException = null)
    : CommandStartFailedException(command, $"{command.Program}: command not found on {where}", innerException);
