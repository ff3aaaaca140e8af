using System.Diagnostics;

namespace Slipway.IntegrationTests.Fixtures;

/// <summary>A real git repository in a temporary directory, cloned by Slipway through a <c>file://</c> URL.</summary>
public sealed class GitRepository : IDisposable
{
    private GitRepository(string path) => Path = path;

    public string Path { get; }

    public string Url => "file://" + Path;

    public static async Task<GitRepository> CreateAsync(string branch = "main")
    {
        var path = Directory.CreateTempSubdirectory("slipway-repo-").FullName;
        var repository = new GitRepository(path);
        await repository.GitAsync("init", "-q", "-b", branch);
        return repository;
    }

    /// <summary>A bare repository: a stand-in for the git host, which a working clone pushes to.</summary>
    public static async Task<GitRepository> CreateBareAsync(string branch = "main")
    {
        var path = Directory.CreateTempSubdirectory("slipway-origin-").FullName;
        var repository = new GitRepository(path);
        await repository.GitAsync("init", "-q", "--bare", "-b", branch);
        return repository;
    }

    /// <summary>A working clone of this repository (its <c>origin</c>), in a temporary directory of its own.</summary>
    public async Task<GitRepository> CloneAsync()
    {
        var path = Directory.CreateTempSubdirectory("slipway-clone-").FullName;
        await GitAsync("clone", "-q", "--", Url, path);
        return new GitRepository(path);
    }

    /// <summary>Pushes <paramref name="refspecs"/> to <c>origin</c>, forced (a pull request's ref is rewritten on every update).</summary>
    public Task<string> PushAsync(params string[] refspecs) => GitAsync(["push", "-q", "-f", "origin", .. refspecs]);

    public GitRepository Write(string relativePath, string content)
    {
        var file = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return this;
    }

    /// <summary>Commits everything and returns the new commit's SHA.</summary>
    public async Task<string> CommitAsync(string message)
    {
        await GitAsync("add", "-A");
        await GitAsync("-c", "user.email=tests@slipway.local", "-c", "user.name=Slipway Tests", "commit", "-q", "-m", message);
        return (await GitAsync("rev-parse", "HEAD")).Trim();
    }

    public async Task<string> GitAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
