namespace Slipway.Infrastructure.Execution;

/// <summary>What the marker line said: the program runs with this PID, or it could not be started.</summary>
internal sealed record RemoteStart(RemoteStartKind Kind, int ProcessId = 0)
{
    public const string NotFoundWord = "notfound";
    public const string NoDirectoryWord = "nodir";

    public static readonly RemoteStart NotFound = new(RemoteStartKind.ProgramNotFound);
    public static readonly RemoteStart NoDirectory = new(RemoteStartKind.DirectoryNotFound);
    public static readonly RemoteStart NoMarker = new(RemoteStartKind.NoMarker);

    public static RemoteStart Running(int pid) => new(RemoteStartKind.Running, pid);
}

internal enum RemoteStartKind
{
    Running,
    ProgramNotFound,
    DirectoryNotFound,

    /// <summary>The output ended without a marker: the wrapper itself failed (no <c>setsid</c>, or the connection died).</summary>
    NoMarker,
}
