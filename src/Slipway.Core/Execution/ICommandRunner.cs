namespace Slipway.Core.Execution;

/// <summary>
/// Runs commands on one machine and streams what they print, line by line. Cancelling the token stops the
/// command and everything it started (its process tree locally, its process group over SSH) before the
/// enumeration ends.
/// </summary>
public interface ICommandRunner
{
    IAsyncEnumerable<CommandEvent> StreamAsync(CommandSpec command, CancellationToken cancellationToken);
}
