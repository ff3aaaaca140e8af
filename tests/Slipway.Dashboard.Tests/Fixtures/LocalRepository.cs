using System.Diagnostics;

namespace Slipway.Dashboard.Tests.Fixtures;

/// <summary>A git repository in a temporary directory, committed once, that Slipway clones by its <c>file://</c> URL.</summary>
public sealed class LocalRepository : IDisposable
{
    private LocalRepository(string path) => Path = path;

    public string Path { get; }

    public string Url => "file://" + Path;

    public static async Task<LocalRepository> CreateAsync(IReadOnlyDictionary<string, string> files)
    {
        var repository = new LocalRepository(Directory.CreateTempSubdirectory("slipway-dashboard-repo-").FullName);
        await repository.GitAsync("init", "-q", "-b", "main");
        foreach (var (name, text) in files)
        {
            await File.WriteAllTextAsync(System.IO.Path.Combine(repository.Path, name), text);
        }

        await repository.GitAsync("add", "-A");
        await repository.GitAsync("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "first");
        return repository;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    private async Task GitAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {await error}");
        }
    }
}
