using Slipway.Core.Execution;

namespace Slipway.Core.Tests.Fakes;

public sealed class FakeExecutionTarget(FakeCommandRunner runner) : IExecutionTarget
{
    public Dictionary<string, string> Files { get; } = [];

    public List<string> Operations { get; } = [];

    public string Description => "fake";

    public ICommandRunner Runner => runner;

    public string WorkRoot => "/work";

    public Task WritePrivateFileAsync(string path, string content, CancellationToken cancellationToken)
    {
        Files[path] = content;
        Operations.Add($"write {path}");
        return Task.CompletedTask;
    }

    public Task CreateDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        Operations.Add($"mkdir {path}");
        return Task.CompletedTask;
    }

    public Task DeleteDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        Operations.Add($"rmdir {path}");
        return Task.CompletedTask;
    }
}
