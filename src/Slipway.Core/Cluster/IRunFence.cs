using Slipway.Core.Deployments;

namespace Slipway.Core.Cluster;

/// <summary>
/// Fencing for runs when several Slipway instances share a database. A deployment is run by the instance whose
/// lease generation is recorded on its row (<see cref="Deployment.InstanceGeneration"/>); an instance that stopped
/// renewing its lease (frozen, cut off) may have been replaced, and must then do nothing others can see. The engine
/// checks <see cref="Holds"/> before every step and calls <see cref="EnsureOwnedAsync"/> before every externally
/// visible side effect (starting a container, retiring one, switching a proxy route).
/// </summary>
public interface IRunFence
{
    /// <summary>
    /// Throws <see cref="DeploymentFencedException"/> unless this instance still holds the lease of the deployment's
    /// generation (a local check, no I/O) and the row still names that generation (one indexed read).
    /// </summary>
    Task EnsureOwnedAsync(Deployment deployment, CancellationToken cancellationToken);

    /// <summary>The local half of <see cref="EnsureOwnedAsync"/>: false once the lease of that generation is lost.</summary>
    bool Holds(long? generation);
}

/// <summary>No fencing: one process, nothing else can take its work (unit tests of the pipeline).</summary>
public sealed class NoFence : IRunFence
{
    public static readonly NoFence Instance = new();

    public Task EnsureOwnedAsync(Deployment deployment, CancellationToken cancellationToken) => Task.CompletedTask;

    public bool Holds(long? generation) => true;
}
