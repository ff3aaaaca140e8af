using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Renci.SshNet;
using Renci.SshNet.Common;
using Slipway.Core.Execution;

namespace Slipway.Infrastructure.Execution;

/// <summary>
/// Runs commands on a server over its pooled SSH connection. The command line is built by
/// <see cref="RemoteCommandLine"/> (only <see cref="ShellQuoting"/> quotes); output streams line by line while
/// the command runs; cancellation kills the remote process group. A command whose start fails because the
/// connection had died is retried once on a new connection, but never once the command has started.
/// </summary>
internal sealed class SshCommandRunner(SshConnection connection, ILogger logger) : ICommandRunner
{
    public SshConnection Connection => connection;

    public async IAsyncEnumerable<CommandEvent> StreamAsync(CommandSpec command, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var stopwatch = Stopwatch.StartNew();
        var display = command.ToDisplayString();
        var (execution, processId) = await StartAsync(command, RemoteCommandLine.Build(command), display, cancellationToken);
        ExecutionLog.CommandStarted(logger, display, connection.Description, processId);

        int exitCode;
        var cancellationLogged = false;
        try
        {
            using (cancellationToken.Register(() => _ = execution.CancelAsync()))
            {
                yield return new CommandStarted(processId);
                await foreach (var item in execution.Events.ReadAllAsync(CancellationToken.None))
                {
                    yield return item;
                }

                exitCode = cancellationToken.IsCancellationRequested ? -1 : await execution.WaitForExitAsync();
            }

            if (cancellationToken.IsCancellationRequested)
            {
                await execution.CancelAsync();
                ExecutionLog.CommandCancelled(logger, display, connection.Description);
                cancellationLogged = true;
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            // A consumer that stops because it was cancelled leaves the loop above early, past the record of it;
            // disposing stops the remote program, so the cancellation is logged here too (as the local runner does).
            await execution.DisposeAsync();
            if (!cancellationLogged && cancellationToken.IsCancellationRequested)
            {
                ExecutionLog.CommandCancelled(logger, display, connection.Description);
            }
        }

        ExecutionLog.CommandExited(logger, display, connection.Description, exitCode, stopwatch.ElapsedMilliseconds);
        yield return new CommandExited(exitCode);
    }

    private async Task<(RemoteExecution Execution, int ProcessId)> StartAsync(CommandSpec command, RemoteCommandLine line, string display, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var client = await connection.GetSshClientAsync(cancellationToken);
            RemoteExecution? execution = null;
            RemoteStart start;
            try
            {
                execution = await RemoteExecution.StartAsync(connection, client, line, command.StandardInput, logger, cancellationToken);
                start = await execution.WaitForStartAsync(cancellationToken);
            }
            catch (Exception error) when (attempt == 1 && IsDeadConnection(error))
            {
                await DisposeAsync(execution);
                Retry(client, display, error);
                continue;
            }
            catch
            {
                await DisposeAsync(execution);
                throw;
            }

            if (start.Kind == RemoteStartKind.Running)
            {
                return (execution, start.ProcessId);
            }

            var failure = await execution.WaitForFailureAsync();
            var exitCode = failure is null ? await execution.WaitForExitAsync() : -1;
            var errors = execution.StartupErrors;
            await execution.DisposeAsync();
            if (failure is not null && attempt == 1 && IsDeadConnection(failure))
            {
                Retry(client, display, failure);
                continue;
            }

            throw start.Kind switch
            {
                RemoteStartKind.ProgramNotFound => new CommandNotFoundException(command, connection.Description),
                RemoteStartKind.DirectoryNotFound => new CommandStartFailedException(
                    command, $"Working directory '{command.WorkingDirectory}' does not exist on {connection.Description}."),
                _ when failure is not null => Rethrow(failure),
                _ => new CommandStartFailedException(
                    command, $"{command.Program} could not be started on {connection.Description} (exit code {exitCode}): {string.Join(" / ", errors)}"),
            };
        }
    }

    private void Retry(SshClient client, string display, Exception error)
    {
        ExecutionLog.SshRetrying(logger, connection.Description, display, error);
        connection.Invalidate(client);
    }

    /// <summary>Failures that mean the connection is gone, as opposed to the command or the server refusing.</summary>
    private static bool IsDeadConnection(Exception error) =>
        error is SshConnectionException or SocketException or ObjectDisposedException or SshOperationTimeoutException
        || (error is SshException && !error.GetType().IsSubclassOf(typeof(SshException)) && error.Message.Contains("not connected", StringComparison.OrdinalIgnoreCase));

    private static Exception Rethrow(Exception error)
    {
        ExceptionDispatchInfo.Throw(error);
        return error;
    }

    private static async Task DisposeAsync(RemoteExecution? execution)
    {
        if (execution is not null)
        {
            await execution.DisposeAsync();
        }
    }
}
