using Microsoft.Extensions.Logging;

namespace Slipway.Infrastructure.Execution;

/// <summary>
/// Log messages of the execution layer (event ids 3xxx). Commands appear only in their display form, with
/// sensitive arguments redacted; environment values never appear.
/// </summary>
internal static partial class ExecutionLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Started {Command} on {Target} as process {ProcessId}.")]
    public static partial void CommandStarted(ILogger logger, string command, string target, int? processId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "{Command} on {Target} exited with {ExitCode} after {ElapsedMs} ms.")]
    public static partial void CommandExited(ILogger logger, string command, string target, int exitCode, long elapsedMs);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Cancelled {Command} on {Target}; stopped its processes.")]
    public static partial void CommandCancelled(ILogger logger, string command, string target);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "{Command} on {Target} exited but its output stayed open (a background process holds it); stopped reading.")]
    public static partial void OutputLeftOpen(ILogger logger, string command, string target);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Connected to {Target} in {ElapsedMs} ms (connection #{Count}).")]
    public static partial void SshConnected(ILogger logger, string target, long elapsedMs, int count);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "The connection to {Target} dropped before {Command} started; retrying once on a new connection.")]
    public static partial void SshRetrying(ILogger logger, string target, string command, Exception exception);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "Recorded the host key of {Target}: {Fingerprint}.")]
    public static partial void HostKeyRecorded(ILogger logger, string target, string fingerprint);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Error, Message = "Refused {Target}: its host key changed from {Expected} to {Actual}.")]
    public static partial void HostKeyChanged(ILogger logger, string target, string expected, string actual);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Warning, Message = "Could not stop process group {ProcessGroup} on {Target}.")]
    public static partial void RemoteKillFailed(ILogger logger, string target, int processGroup, Exception exception);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Debug, Message = "Disconnected from {Target}.")]
    public static partial void SshDisconnected(ILogger logger, string target);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Information, Message = "Server {Server} ({Address}) could not be reached over SSH.")]
    public static partial void ServerUnreachable(ILogger logger, string server, string address, Exception exception);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Validated server {Server}: reachable={Reachable}, usable={Usable}.")]
    public static partial void ServerValidated(ILogger logger, string server, bool reachable, bool usable);
}
