namespace Slipway.Core.Execution;

/// <summary>
/// A command never ran: its working directory is missing, the program is not executable, or the remote side
/// could not launch it. Distinct from <see cref="CommandFailedException"/>, which is a command that ran and failed.
/// </summary>
public class CommandStartFailedException(CommandSpec command, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public CommandSpec Command { get; } = command;
}
