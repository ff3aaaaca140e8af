using System.Net.Sockets;
using System.Text;
using Renci.SshNet.Common;
using Slipway.Core.Execution;

namespace Slipway.Infrastructure.Execution;

/// <summary>
/// A server reached over SSH: commands through <see cref="SshCommandRunner"/>, private files through SFTP on the
/// same pooled connection entry. Relative paths are relative to the login user's home directory.
/// </summary>
internal sealed class SshExecutionTarget(SshConnection connection, ICommandRunner runner) : IExecutionTarget
{
    public const string DefaultWorkRoot = ".slipway/work";

    /// <summary>rw-------. SSH.NET takes the mode as the octal digits written in decimal (600, not 0x180).</summary>
    private const short OwnerReadWrite = 600;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public string Description => connection.Description;

    public ICommandRunner Runner => runner;

    public string WorkRoot => DefaultWorkRoot;

    public async Task WritePrivateFileAsync(string path, string content, CancellationToken cancellationToken)
    {
        var bytes = Utf8NoBom.GetBytes(content);
        for (var attempt = 1; ; attempt++)
        {
            var sftp = await connection.GetSftpClientAsync(cancellationToken);
            try
            {
                // Created (or truncated) empty, restricted to 0600, and only then given its content: the secret is
                // never readable by anyone else, even for a moment.
                await using var stream = await sftp.OpenAsync(path, FileMode.Create, FileAccess.Write, cancellationToken);
                sftp.ChangePermissions(path, OwnerReadWrite);
                await stream.WriteAsync(bytes, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                return;
            }
            catch (Exception error) when (attempt == 1 && error is SshConnectionException or SocketException or ObjectDisposedException)
            {
                // Writing the whole file again is harmless, so a dropped connection is retried once.
                connection.Invalidate(sftp);
            }
        }
    }

    public async Task CreateDirectoryAsync(string path, CancellationToken cancellationToken) =>
        await runner.RunAsync(CommandSpec.Of("mkdir", "-p", "--", path), cancellationToken: cancellationToken);

    public async Task DeleteDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        DeletablePath.EnsureSafe(path);
        await runner.RunAsync(CommandSpec.Of("rm", "-rf", "--", path), cancellationToken: cancellationToken);
    }
}
