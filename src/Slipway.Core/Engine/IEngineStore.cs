using Slipway.Core.Deployments;

namespace Slipway.Core.Engine;

/// <summary>The database as the engine needs it. Implemented over EF Core in Infrastructure.</summary>
public interface IEngineStore
{
    Task<QueueState> LoadQueueStateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Claims for this instance, atomically and under the server's cluster-wide lock, every queued deployment of the
    /// server that <see cref="ClaimPolicy"/> lets start now (in order of arrival), moving each to <c>in_progress</c>.
    /// Serialising a server's claims is what keeps its limits when several instances claim at once. <c>started_at</c>
    /// is the time the claim was made, under the lock (not when this instance began waiting for it).
    /// </summary>
    Task<IReadOnlyList<long>> ClaimAsync(long serverId, CancellationToken cancellationToken);

    /// <summary>Loads the run's snapshot; null when the deployment or its application is gone.</summary>
    Task<DeploymentWork?> LoadWorkAsync(long deploymentId, CancellationToken cancellationToken);

    Task SetCommitAsync(long deploymentId, string commit, CancellationToken cancellationToken);

    /// <summary>Records the commit message on every deployment of the application with that commit (as Coolify does).</summary>
    Task SetCommitMessageAsync(long applicationId, string commit, string message, CancellationToken cancellationToken);

    Task SetProcessIdAsync(long deploymentId, string? processId, CancellationToken cancellationToken);

    /// <summary>
    /// Ends an <c>in_progress</c> deployment; false when it had already ended (e.g. cancelled). With
    /// <paramref name="logComplete"/> the same write records its log whole (the writer was closed first, see
    /// <see cref="Deployments.IDeploymentLogStore.CloseAsync"/>).
    /// </summary>
    Task<bool> CompleteAsync(long deploymentId, DeploymentStatus status, DateTime now, bool logComplete, CancellationToken cancellationToken);

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

    /// <summary>
    /// Deployments left <c>in_progress</c> by an instance that is gone (its lease expired, or this instance's own
    /// previous run), adopted by this instance for clean-up: each comes with the log line saying what happened.
    /// </summary>
    Task<IReadOnlyList<OrphanedRun>> AdoptOrphansAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A deployment whose instance died, and why it is being failed (written to its log). <see cref="WorkRoot"/> is where
/// the dead instance kept its work directories on the localhost server (its own data directory), when known.
/// </summary>
public sealed record OrphanedRun(DeploymentWork Work, string Reason, string? WorkRoot = null);

