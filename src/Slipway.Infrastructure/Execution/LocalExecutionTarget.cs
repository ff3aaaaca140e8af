using Slipway.Core.Execution;

namespace Slipway.Infrastructure.Execution;

/// <summary>This machine: local processes, and files under the data directory.</summary>
internal sealed class LocalExecutionTarget(LocalCommandRunner runner, SlipwayDataOptions options) : IExecutionTarget
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Description => LocalCommandRunner.TargetName;

    public ICommandRunner Runner => runner;

    public string WorkRoot { get; } = Path.Combine(options.FullDataDir, "work");

    public async Task WritePrivateFileAsync(string path, string content, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Private files need Unix file modes.");
        }

        // A new file created 0600 (no moment where it is readable by others), then moved over the old one: an
        // existing file would keep its old mode if it were simply overwritten.
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = OwnerReadWrite,
            Options = FileOptions.Asynchronous,
        };
        try
        {
            await using (var stream = new FileStream(temporary, options))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteAsync(content.AsMemory(), cancellationToken);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public Task CreateDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(path);
        return Task.CompletedTask;
    }

    public Task DeleteDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        DeletablePath.EnsureSafe(path);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        return Task.CompletedTask;
    }
}
