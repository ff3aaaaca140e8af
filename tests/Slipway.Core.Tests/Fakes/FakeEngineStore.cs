using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Core.Servers;

namespace Slipway.Core.Tests.Fakes;

public sealed class FakeEngineStore : IEngineStore
{
    public string? Commit { get; private set; }
    public string? CommitMessage { get; private set; }
    public List<string?> ProcessIds { get; } = [];
    public DockerProbe? DockerProbe { get; private set; }

    public Task<QueueState> LoadQueueStateAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<long>> ClaimAsync(long serverId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DeploymentWork?> LoadWorkAsync(long deploymentId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task SetCommitAsync(long deploymentId, string commit, CancellationToken cancellationToken)
    {
        Commit = commit;
        return Task.CompletedTask;
    }

    public Task SetCommitMessageAsync(long applicationId, string commit, string message, CancellationToken cancellationToken)
    {
        CommitMessage = message;
        return Task.CompletedTask;
    }

    public Task SetProcessIdAsync(long deploymentId, string? processId, CancellationToken cancellationToken)
    {
        ProcessIds.Add(processId);
        return Task.CompletedTask;
    }

    public Task<bool> CompleteAsync(long deploymentId, DeploymentStatus status, DateTime now, bool logComplete, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<DeploymentStatus?> GetStatusAsync(long deploymentId, CancellationToken cancellationToken) => Task.FromResult<DeploymentStatus?>(DeploymentStatus.InProgress);

    public Task SetApplicationStatusAsync(long applicationId, string status, CancellationToken cancellationToken) => Task.CompletedTask;

    public List<string> PinnedHostKeys { get; } = [];

    public Task<bool> PinGitHostKeysAsync(long applicationId, string knownHosts, CancellationToken cancellationToken)
    {
        PinnedHostKeys.Add(knownHosts);
        return Task.FromResult(true);
    }

    /// <summary>Every (port, draining port) recorded, in order.</summary>
    public List<(int? Port, int? Draining)> Upstreams { get; } = [];

    /// <summary>The pull request of each <see cref="Upstreams"/> entry (0: the application itself).</summary>
    public List<int> UpstreamPullRequests { get; } = [];

    public Task SetProxyUpstreamAsync(long applicationId, int pullRequestId, int? port, int? drainingPort, CancellationToken cancellationToken)
    {
        Upstreams.Add((port, drainingPort));
        UpstreamPullRequests.Add(pullRequestId);
        return Task.CompletedTask;
    }

    public Task<Server?> GetServerAsync(long serverId, CancellationToken cancellationToken) => Task.FromResult<Server?>(null);

    public Task SaveDockerProbeAsync(long serverId, DockerProbe probe, CancellationToken cancellationToken)
    {
        DockerProbe = probe;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<OrphanedRun>> AdoptOrphansAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<OrphanedRun>>([]);
}
