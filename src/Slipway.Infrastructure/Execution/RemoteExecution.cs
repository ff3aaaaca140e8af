using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Renci.SshNet;
using Renci.SshNet.Common;
using Slipway.Core.Execution;

namespace Slipway.Infrastructure.Execution;

/// <summary>
/// One run of one command on one SSH channel. Two dedicated threads read stdout and stderr (SSH.NET's pipe
/// streams block) through <see cref="LineDecoder"/> into a bounded channel. The stdout reader swallows
/// everything up to the marker line of <see cref="RemoteCommandLine"/> (start-up noise of the login shell) and
/// the stderr reader holds its lines until the marker is seen, so <c>CommandStarted</c> is always first.
/// Known limit: SSH.NET re-opens the channel window as soon as data arrives, whether or not it has been read,
/// so a consumer slower than the remote program makes SSH.NET's pipe stream grow (measured: 23 MB buffered for
/// an unread <c>seq 1 3000000</c>). The bounded channel here keeps events bounded, not that buffer.
/// </summary>
internal sealed class RemoteExecution : IAsyncDisposable
{
    private const int EventBuffer = 512;
    private const int StartupErrorLines = 20;
    private static readonly TimeSpan MarkerWait = TimeSpan.FromSeconds(5);
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly SshConnection _connection;
    private readonly SshClient _client;
    private readonly SshCommand _command;
    private readonly RemoteCommandLine _line;
    private readonly ILogger _logger;
    private readonly Task _execution;
    private readonly Task _standardInput;
    private readonly Task _pumps;
    private readonly Channel<CommandEvent> _events = Channel.CreateBounded<CommandEvent>(
        new BoundedChannelOptions(EventBuffer) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stopPumps = new();
    private readonly TaskCompletionSource<RemoteStart> _start = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _startupErrors = new();
    private readonly Lock _killLock = new();
    private Task? _kill;
    private int _disposed;

    private RemoteExecution(SshConnection connection, SshClient client, SshCommand command, RemoteCommandLine line, string? input, ILogger logger)
    {
        _connection = connection;
        _client = client;
        _command = command;
        _line = line;
        _logger = logger;
        _execution = command.ExecuteAsync(CancellationToken.None);
        _ = _execution.ContinueWith(_ => _start.TrySetResult(RemoteStart.NoMarker), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        _standardInput = WriteStandardInputAsync(OpenStandardInput(command), input);
        var stdout = Task.Factory.StartNew(PumpStandardOutput, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var stderr = Task.Factory.StartNew(PumpStandardError, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _pumps = Task.WhenAll(stdout, stderr).ContinueWith(_ => _events.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    public ChannelReader<CommandEvent> Events => _events.Reader;

    /// <summary>Standard error printed before a start that failed, for the error message.</summary>
    public IReadOnlyList<string> StartupErrors
    {
        get
        {
            lock (_startupErrors)
            {
                return [.. _startupErrors];
            }
        }
    }

    /// <summary>Opens a channel and sends the exec request; holds one of the connection's command slots until disposed.</summary>
    public static async Task<RemoteExecution> StartAsync(SshConnection connection, SshClient client, RemoteCommandLine line, string? input, ILogger logger, CancellationToken cancellationToken)
    {
        await connection.CommandSlots.WaitAsync(cancellationToken);
        SshCommand? command = null;
        try
        {
            command = client.CreateCommand(line.Text, Utf8NoBom);
            return new RemoteExecution(connection, client, command, line, input, logger);
        }
        catch
        {
            command?.Dispose();
            connection.CommandSlots.Release();
            throw;
        }
    }

    /// <summary>What the marker line said, once it arrived (or <see cref="RemoteStart.NoMarker"/> when output ended without it).</summary>
    public Task<RemoteStart> WaitForStartAsync(CancellationToken cancellationToken) => _start.Task.WaitAsync(cancellationToken);

    /// <summary>The exit status sshd reported; a death by signal is reported as 128 + the signal number, as shells do.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _execution;
        return _command.ExitStatus ?? ExitSignals.ToExitCode(_command.ExitSignal);
    }

    /// <summary>The exception that ended the channel (a dropped connection), or null when the command ran to its end.</summary>
    public async Task<Exception?> WaitForFailureAsync()
    {
        try
        {
            await _execution;
            return null;
        }
        catch (Exception error)
        {
            return error;
        }
    }

    /// <summary>Kills the remote process group and waits (bounded) for the channel to close. Idempotent.</summary>
    public Task CancelAsync()
    {
        lock (_killLock)
        {
            return _kill ??= KillAsync();
        }
    }

    private async Task KillAsync()
    {
        var grace = _connection.Options.KillGrace;
        try
        {
            // The marker may still be in flight: its PID is the only handle on the process group.
            var start = await _start.Task.WaitAsync(MarkerWait);
            if (start.Kind == RemoteStartKind.Running)
            {
                await RemoteProcessGroup.KillAsync(_client, start.ProcessId, grace);
            }
            else if (!_execution.IsCompleted)
            {
                _command.CancelAsync(forceKill: true);
            }
        }
        catch (Exception error) when (error is TimeoutException or SshException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            ExecutionLog.RemoteKillFailed(_logger, _connection.Description, _start.Task.IsCompletedSuccessfully ? _start.Task.Result.ProcessId : 0, error);
        }

        // The channel closes once the group is gone; if something outside it holds the channel open, stop waiting.
        if (await Task.WhenAny(_execution, Task.Delay(grace + grace)) != _execution)
        {
            _command.Dispose();
        }
    }

    private void PumpStandardOutput()
    {
        try
        {
            Pump(_command.OutputStream, line =>
            {
                if (!_start.Task.IsCompleted)
                {
                    // Until the marker, lines come from the login shell's start-up files, not from the command.
                    if (_line.ParseMarker(line) is { } start)
                    {
                        _start.TrySetResult(start);
                    }
                }
                else if (_start.Task.Result.Kind == RemoteStartKind.Running)
                {
                    Write(new OutputLine(OutputStream.StandardOutput, line));
                }
            });
        }
        finally
        {
            _start.TrySetResult(RemoteStart.NoMarker);
        }
    }

    private void PumpStandardError() =>
        Pump(_command.ExtendedOutputStream, line =>
        {
            // Blocking is fine on this dedicated thread; the stdout reader always completes the start.
            if (_start.Task.GetAwaiter().GetResult().Kind == RemoteStartKind.Running)
            {
                Write(new OutputLine(OutputStream.StandardError, line));
                return;
            }

            lock (_startupErrors)
            {
                _startupErrors.Enqueue(line);
                if (_startupErrors.Count > StartupErrorLines)
                {
                    _startupErrors.Dequeue();
                }
            }
        });

    private static void Pump(Stream stream, Action<string> onLine)
    {
        var decoder = new LineDecoder();
        var lines = new List<string>();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                decoder.Decode(buffer.AsSpan(0, read), lines);
                lines.ForEach(onLine);
                lines.Clear();
            }

            decoder.Flush(lines);
            lines.ForEach(onLine);
        }
        catch (Exception error) when (error is OperationCanceledException or ChannelClosedException or ObjectDisposedException)
        {
            // Reading was stopped: the consumer left or the command was disposed.
        }
    }

    private void Write(CommandEvent item)
    {
        if (!_events.Writer.TryWrite(item))
        {
            _events.Writer.WriteAsync(item, _stopPumps.Token).AsTask().GetAwaiter().GetResult();
        }
    }

    private static Stream? OpenStandardInput(SshCommand command)
    {
        try
        {
            return command.CreateInputStream();
        }
        catch (InvalidOperationException)
        {
            // The command already finished (a fast one can end before this line runs): it needed no input.
            return null;
        }
    }

    private static Task WriteStandardInputAsync(Stream? stdin, string? input) => stdin is null ? Task.CompletedTask : Task.Run(() =>
    {
        // Disposing the stream sends EOF: without input, a program reading stdin sees end-of-file at once.
        using (stdin)
        {
            if (!string.IsNullOrEmpty(input))
            {
                stdin.Write(Utf8NoBom.GetBytes(input));
            }
        }
    });

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_execution.IsCompleted)
        {
            // The consumer left early or starting failed: nothing may keep running unobserved.
            await CancelAsync();
        }

        await _stopPumps.CancelAsync();
        _events.Writer.TryComplete();
        _command.Dispose();
        await Task.WhenAny(_pumps, Task.Delay(MarkerWait));
        await Task.WhenAny(_standardInput.ContinueWith(_ => { }, TaskScheduler.Default), Task.Delay(MarkerWait));
        _connection.CommandSlots.Release();
        _stopPumps.Dispose();
    }
}
