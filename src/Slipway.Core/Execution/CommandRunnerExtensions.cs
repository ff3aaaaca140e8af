namespace Slipway.Core.Execution;

public static class CommandRunnerExtensions
{
    private const int TailLines = 20;

    /// <summary>
    /// Standard output kept for the result. Commands whose output is parsed print a few lines; a build can print
    /// millions, which go to the live log as they come and must not also pile up in memory for the whole run.
    /// </summary>
    public const int MaxKeptOutputLines = 10_000;

    /// <summary>
    /// Runs a command to completion, handing each event to <paramref name="onEvent"/> (for live logs), keeping
    /// the first <see cref="MaxKeptOutputLines"/> lines of standard output and the tail of standard error. Throws <see cref="CommandFailedException"/> on a non-zero
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
        var truncated = false;
        await foreach (var item in runner.StreamAsync(command, cancellationToken))
        {
            switch (item)
            {
                case OutputLine { Stream: OutputStream.StandardOutput } line:
                    if (stdout.Count < MaxKeptOutputLines)
                    {
                        stdout.Add(line.Text);
                    }
                    else
                    {
                        truncated = true;
                    }

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

        var result = new CommandResult(exitCode, stdout, stderr.ToArray()) { StandardOutputTruncated = truncated };
        if (throwOnFailure && !result.Succeeded)
        {
            throw new CommandFailedException(command, exitCode, result.StandardErrorTail);
        }

        return result;
    }
}
