namespace Slipway.Core.Execution;

public static class CommandRunnerExtensions
{
    private const int TailLines = 20;

    /// <summary>
    /// Runs a command to completion, handing each event to <paramref name="onEvent"/> (for live logs), keeping
    /// standard output and the tail of standard error. Throws <see cref="CommandFailedException"/> on a non-zero
    /// exit unless <paramref name="throwOnFailure"/> is false (cleanup commands, Kamal's raise_on_non_zero_exit).
    /// </summary>
    public static async Task<CommandResult> RunAsync(
        this ICommandRunner runner,
        CommandSpec command,
        Func<CommandEvent, ValueTask>? onEvent = null,
        bool throwOnFailure = true,
        CancellationToken cancellationToken = default)
    {
        var stdout = new List<string>();
        var stderr = new Queue<string>();
        var exitCode = -1;
        await foreach (var item in runner.StreamAsync(command, cancellationToken))
        {
            switch (item)
            {
                case OutputLine { Stream: OutputStream.StandardOutput } line:
                    stdout.Add(line.Text);
                    break;
                case OutputLine line:
                    stderr.Enqueue(line.Text);
                    if (stderr.Count > TailLines)
                    {
                        stderr.Dequeue();
                    }

                    break;
                case CommandExited exited:
                    exitCode = exited.ExitCode;
                    break;
            }

            if (onEvent is not null)
            {
                await onEvent(item);
            }
        }

        var result = new CommandResult(exitCode, stdout, stderr.ToArray());
        if (throwOnFailure && !result.Succeeded)
        {
            throw new CommandFailedException(command, exitCode, result.StandardErrorTail);
        }

        return result;
    }
}
