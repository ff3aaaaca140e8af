using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Slipway.Core.Execution;

namespace Slipway.Infrastructure.Execution;

/// <summary>
/// Runs commands as child processes of Slipway: the argument list goes to <see cref="ProcessStartInfo.ArgumentList"/>
/// (no shell is involved, so nothing is quoted), standard output and error are read as bytes and streamed line by
/// line through a bounded channel (a huge output never piles up in memory), and cancellation kills the whole
/// process tree before the enumeration ends with <see cref="OperationCanceledException"/>.
/// </summary>
/// <remarks>
/// Every command starts with the environment Slipway controls (<see cref="CommandEnvironment.Local"/>) plus its own
/// variables, and in a fixed working directory when it names none (<see cref="DefaultWorkingDirectory"/>), never in
/// whatever directory Slipway was started from.
/// </remarks>
internal sealed class LocalCommandRunner(ILogger<LocalCommandRunner> logger) : ICommandRunner
{
    public const string TargetName = "localhost";

    /// <summary>
    /// Where commands run when they name no directory: the root, which holds no repository (git would read a
    /// repository's configuration from the directory it runs in) and nothing a deployment wrote.
    /// </summary>
    public const string DefaultWorkingDirectory = "/";

    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly IReadOnlyDictionary<string, string> _environment = CommandEnvironment.Local(Environment.GetEnvironmentVariables());

    /// <summary>Events buffered between the pipe readers and a slow consumer; readers wait when it is full.</summary>
    private const int EventBuffer = 512;

    /// <summary>
    /// After the process exits its pipes drain in milliseconds, unless a background process it left behind still
    /// holds them open; past this grace Slipway stops reading instead of hanging.
    /// </summary>
    private static readonly TimeSpan OutputDrainGrace = TimeSpan.FromSeconds(2);

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public async IAsyncEnumerable<CommandEvent> StreamAsync(CommandSpec command, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var stopwatch = Stopwatch.StartNew();
        using var process = Start(command);
        var display = command.ToDisplayString();
        ExecutionLog.CommandStarted(logger, display, TargetName, process.Id);

        var events = Channel.CreateBounded<CommandEvent>(new BoundedChannelOptions(EventBuffer)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stopReading = new CancellationTokenSource();
        using var completeOnStop = stopReading.Token.Register(() => events.Writer.TryComplete());
        var standardInput = WriteStandardInputAsync(process, command.StandardInput);
        var pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput.BaseStream, OutputStream.StandardOutput, events.Writer, stopReading.Token),
            PumpAsync(process.StandardError.BaseStream, OutputStream.StandardError, events.Writer, stopReading.Token));
        _ = pumps.ContinueWith(_ => events.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var exit = process.WaitForExitAsync(CancellationToken.None);
        _ = exit.ContinueWith(_ => StopAfterGrace(stopReading), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        var exited = false;
        using (cancellationToken.Register(() => KillTree(process)))
        {
            try
            {
                yield return new CommandStarted(process.Id);
                await foreach (var item in events.Reader.ReadAllAsync(CancellationToken.None))
                {
                    yield return item;
                }

                await exit;
                exited = true;
            }
            finally
            {
                if (!exited)
                {
                    // The consumer stopped early: nothing may keep running unobserved. A consumer that stops because it
                    // was cancelled never reaches the line after this block, so the cancellation is logged here too.
                    KillTree(process);
                    if (cancellationToken.IsCancellationRequested)
                    {
                        ExecutionLog.CommandCancelled(logger, display, TargetName);
                    }
                }

                stopReading.Cancel();
                await IgnoreFailuresAsync(standardInput);
            }
        }

        if (!pumps.IsCompleted)
        {
            ExecutionLog.OutputLeftOpen(logger, display, TargetName);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            ExecutionLog.CommandCancelled(logger, display, TargetName);
            cancellationToken.ThrowIfCancellationRequested();
        }

        ExecutionLog.CommandExited(logger, display, TargetName, process.ExitCode, stopwatch.ElapsedMilliseconds);
        yield return new CommandExited(process.ExitCode);
    }

    private Process Start(CommandSpec command)
    {
        var startInfo = new ProcessStartInfo(Resolve(command))
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8NoBom,
        };
        foreach (var argument in command.Arguments)
        {
            startInfo.ArgumentList.Add(argument.Value);
        }

        startInfo.Environment.Clear();
        foreach (var (key, value) in CommandEnvironment.Own(command))
        {
            startInfo.Environment[key] = value;
        }

        foreach (var (key, value) in _environment)
        {
            startInfo.Environment[key] = value;
        }

        // Checked here because the OS reports a missing directory with the same error as a missing program.
        if (command.WorkingDirectory is not null && !Directory.Exists(command.WorkingDirectory))
        {
            throw new CommandStartFailedException(command, $"Working directory '{command.WorkingDirectory}' does not exist on {TargetName}.");
        }

        startInfo.WorkingDirectory = command.WorkingDirectory ?? DefaultWorkingDirectory;

        var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
            return process;
        }
        catch (Win32Exception error) when (error.NativeErrorCode == 2)
        {
            process.Dispose();
            throw new CommandNotFoundException(command, TargetName, error);
        }
        catch (Win32Exception error)
        {
            process.Dispose();
            throw new CommandStartFailedException(command, $"Could not start {command.Program} on {TargetName}: {error.Message}", error);
        }
    }

    /// <summary>
    /// A bare program name is looked up on the controlled PATH, here rather than by <see cref="Process.Start()"/>,
    /// which would search Slipway's own PATH and first the directories of Slipway's executable and working directory.
    /// </summary>
    private string Resolve(CommandSpec command)
    {
        if (command.Program.Contains('/', StringComparison.Ordinal) || OperatingSystem.IsWindows())
        {
            return command.Program;
        }

        foreach (var directory in _environment["PATH"].Split(':'))
        {
            var candidate = Path.Combine(directory, command.Program);
            if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & AnyExecute) != 0)
            {
                return candidate;
            }
        }

        throw new CommandNotFoundException(command, TargetName);
    }

    private static async Task WriteStandardInputAsync(Process process, string? input)
    {
        // Without input, stdin is closed at once so a program that reads it sees end-of-file instead of waiting.
        await using var stdin = process.StandardInput;
        if (!string.IsNullOrEmpty(input))
        {
            await stdin.WriteAsync(input);
            await stdin.FlushAsync();
        }
    }

    private static async Task PumpAsync(Stream stream, OutputStream kind, ChannelWriter<CommandEvent> writer, CancellationToken stop)
    {
        var decoder = new LineDecoder();
        var lines = new List<string>();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, stop)) > 0)
            {
                decoder.Decode(buffer.AsSpan(0, read), lines);
                await WriteLinesAsync(lines, kind, writer, stop);
            }

            decoder.Flush(lines);
            await WriteLinesAsync(lines, kind, writer, stop);
        }
        catch (Exception error) when (error is OperationCanceledException or ChannelClosedException or ObjectDisposedException)
        {
            // Reading was stopped: the consumer left, or the output outlived the process (see OutputDrainGrace).
        }
    }

    private static async Task WriteLinesAsync(List<string> lines, OutputStream kind, ChannelWriter<CommandEvent> writer, CancellationToken stop)
    {
        foreach (var line in lines)
        {
            await writer.WriteAsync(new OutputLine(kind, line), stop);
        }

        lines.Clear();
    }

    private static void StopAfterGrace(CancellationTokenSource stopReading)
    {
        try
        {
            stopReading.CancelAfter(OutputDrainGrace);
        }
        catch (ObjectDisposedException)
        {
            // The enumeration already ended.
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception error) when (error is InvalidOperationException or Win32Exception)
        {
            // Already exited.
        }
    }

    private static async Task IgnoreFailuresAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (IOException)
        {
            // The process exited without reading all of its input (a broken pipe): not the command's failure.
        }
    }
}
