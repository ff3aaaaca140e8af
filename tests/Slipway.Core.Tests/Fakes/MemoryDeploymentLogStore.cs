using Slipway.Core.Deployments;

namespace Slipway.Core.Tests.Fakes;

public sealed class MemoryDeploymentLogStore : IDeploymentLogStore
{
    public List<LogLine> Lines { get; } = [];

    public IEnumerable<string> Outputs => Lines.Select(l => l.Output);

    public ValueTask AppendAsync(long deploymentId, IReadOnlyList<LogLine> lines, CancellationToken cancellationToken)
    {
        lock (Lines)
        {
            Lines.AddRange(lines);
        }

        return ValueTask.CompletedTask;
    }

    public Task FlushAsync(long deploymentId, CancellationToken cancellationToken) => Task.CompletedTask;

    public void SetSecrets(long deploymentId, IReadOnlyCollection<string> secrets)
    {
    }

    public void SetLimits(long deploymentId, LogLimits limits)
    {
    }

    public Task CompleteAsync(long deploymentId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CloseAsync(long deploymentId, CancellationToken cancellationToken) => Task.CompletedTask;

    public IDisposable KeepOpen(long deploymentId) => new Handle();

    private sealed class Handle : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
