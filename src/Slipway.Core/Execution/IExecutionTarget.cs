namespace Slipway.Core.Execution;

/// <summary>
/// A server as the engine uses it: a command runner plus the few file operations a deployment needs. The
/// <c>localhost</c> server is local processes and files; any other server is reached over SSH.
/// </summary>
public interface IExecutionTarget
{
    /// <summary>A name for logs, e.g. <c>localhost</c> or <c>root@127.0.0.1:2222</c>.</summary>
    string Description { get; }

    ICommandRunner Runner { get; }

    /// <summary>Directory under which deployments get their work directories (absolute, or relative to the login home).</summary>
    string WorkRoot { get; }

    /// <summary>Writes a file that only the owner can read (mode 0600 from the moment it exists).</summary>
    Task WritePrivateFileAsync(string path, string content, CancellationToken cancellationToken);

    Task CreateDirectoryAsync(string path, CancellationToken cancellationToken);

    /// <summary>Removes a directory and everything in it; no error when it does not exist.</summary>
    Task DeleteDirectoryAsync(string path, CancellationToken cancellationToken);
}
