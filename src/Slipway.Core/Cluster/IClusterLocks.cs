namespace Slipway.Core.Cluster;

/// <summary>What a cluster-wide lock serialises; with an id (a server's, an application's) it names one lock.</summary>
public enum ClusterLockScope
{
    /// <summary>Claims of a server's queued deployments (concurrent_builds, one per application and PR, FIFO).</summary>
    ServerClaims = 1,

    /// <summary>Enqueueing on a server: the duplicate check and the server's queue limit.</summary>
    ServerQueue = 2,

    /// <summary>Creating previews on a server: the preview limit and the port allocation.</summary>
    ServerPreviews = 3,

    /// <summary>Pushing a server's proxy configuration: one push at a time per server, across instances.</summary>
    ProxyConfig = 4,

    /// <summary>Handling one webhook delivery id (the id hashed to 64 bits).</summary>
    WebhookDelivery = 5,

    /// <summary>Start-up work done once for all instances: creating the first Data Protection key.</summary>
    Startup = 6,

    /// <summary>A log retention pass: one instance prunes at a time.</summary>
    LogRetention = 7,
}

/// <summary>
/// Locks that hold across every Slipway instance sharing the database (PostgreSQL advisory locks), and within the
/// one process on SQLite. Use them around read-then-write decisions that must not interleave:
/// <code>
/// await using (await locks.AcquireAsync(ClusterLockScope.ProxyConfig, server.Id, cancellationToken))
/// {
///     await PushProxyConfigAsync(server, cancellationToken); // no other instance pushes this server's config now
/// }
/// </code>
/// The lock is released on dispose, and by PostgreSQL when the holding instance dies (its session ends).
/// </summary>
public interface IClusterLocks
{
    ValueTask<IAsyncDisposable> AcquireAsync(ClusterLockScope scope, long id, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the lock, or answers null at once when another instance holds it (for work any instance may do, where
    /// the others need not wait: they skip it). Holders in this process are waited for.
    /// </summary>
    ValueTask<IAsyncDisposable?> TryAcquireAsync(ClusterLockScope scope, long id, CancellationToken cancellationToken);
}
