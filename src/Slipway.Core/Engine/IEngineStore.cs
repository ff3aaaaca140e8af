using Slipway.Core.Deployments;

namespace Slipway.Core.Engine;

/// <summary>The database as the engine needs it. Implemented over EF Core in Infrastructure.</summary>
public interface IEngineStore
{
    Task<QueueState> LoadQueueStateAsync(CancellationToken cancellationToken);

    /// <summary>Moves a deployment from <c>queued</c> to <c>in_progress</c>; false if it was no longer queued.</summary>
    Task<bool> TryClaimAsync(long deploymentId, DateTime now, CancellationToken cancellationToken);

    /// <summary>Loads the run's snapshot; null when the deployment or its application is gone.</summary>
    Task<DeploymentWork?> LoadWorkAsync(long deploymentId, CancellationToken cancellationToken);

    Task SetCommitAsync(long deploymentId, string commit, CancellationToken cancellationToken);

    /// <summary>Records the commit message on every deployment of the application with that commit (as Coolify does).</summary>
    Task SetCommitMessageAsync(long applicationId, string commit, string message, CancellationToken cancellationToken);

    Task SetProcessIdAsync(long deploymentId, string? processId, CancellationToken cancellationToken);

    /// <summary>Ends an <c>in_progress</c> deployment; false when it had already ended (e.g. cancelled).</summary>
    Task<bool> CompleteAsync(long deploymentId, DeploymentStatus status, DateTime now, CancellationToken cancellationToken);

    Task<DeploymentStatus?> GetStatusAsync(long deploymentId, CancellationToken cancellationToken);

    /// <summary>Records the git host's key(s) on the application unless some are pinned already; true when these were stored.</summary>
    Task<bool> PinGitHostKeysAsync(long applicationId, string knownHosts, CancellationToken cancellationToken);

    Task SetApplicationStatusAsync(long applicationId, string status, CancellationToken cancellationToken);

    /// <summary>
    /// Records the 127.0.0.1 port the proxy dials for the application (or, with a <paramref name="pullRequestId"/>,
    /// its preview) and the one it drains (both null: none).
    /// </summary>
    Task SetProxyUpstreamAsync(long applicationId, int pullRequestId, int? port, int? drainingPort, CancellationToken cancellationToken);

    Task<Servers.Server?> GetServerAsync(long serverId, CancellationToken cancellationToken);

    /// <summary>Records what the probe of a server's Docker found (<see cref="DockerBuilder"/>).</summary>
    Task SaveDockerProbeAsync(long serverId, Servers.DockerProbe probe, CancellationToken cancellationToken);

    /// <summary>Deployments left <c>in_progress</c> (by a process that died), with their application and server.</summary>
    Task<IReadOnlyList<DeploymentWork>> ListInProgressAsync(CancellationToken cancellationToken);
}
