using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Deployments;

namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// The one place in-memory caches learn that the database changed — through this process or any other. On
/// PostgreSQL other processes' changes arrive through <see cref="PostgresChangeListener"/> (which skips this process's
/// own) as notifications: from the triggers, or, for a run's own writes, batched by the instance that made them
/// (<see cref="DeferredAnnouncements"/>). This process's own writes are seen as they are made
/// (<see cref="LocalWriteInterceptor"/>, and the stores notifying followers themselves, as on SQLite). On SQLite, where
/// one instance runs but the CLI may write from another process, they learn it from <c>PRAGMA data_version</c>
/// (<see cref="SqliteChangeWatcher"/>).
/// <list type="bullet">
/// <item>Deployment rows: cached under <see cref="DeploymentsVersion"/>; a cached row is answered only while it is unchanged.</item>
/// <item>Tokens: cached under <see cref="TokensVersion"/>, which moves on any change to tokens or teams (a revoke anywhere).</item>
/// <item>Logs: new rows and status changes wake live followers on every instance (<see cref="DeploymentLogFeed"/>);
/// rendered logs are validated per read by their (count, highest order), exact on every instance.</item>
/// <item>After a reconnect (notifications may have been missed) everything is treated as changed.</item>
/// </list>
/// </summary>
public sealed class CacheInvalidation(SlipwayDataOptions options, DeploymentLogFeed feed, IServiceProvider services) : IDisposable
{
    private readonly SqliteDataVersion? _sqlite = options.UsesPostgres ? null : new SqliteDataVersion(options.SqlitePath);
    private long _deployments;
    private long _tokens;

    /// <summary>
    /// A value that changes whenever a deployment row may have changed, or null when it cannot be told (then read
    /// the database). Exact: on SQLite it is the file's change counter, read now.
    /// </summary>
    public long? DeploymentsVersion() => _sqlite is not null ? _sqlite.TryRead() : Interlocked.Read(ref _deployments);

    /// <summary>A value that changes whenever a token or team may have changed.</summary>
    public long TokensVersion => Interlocked.Read(ref _tokens);

    /// <summary>This process wrote deployment rows (seen before the statement returns: a read after a write is never stale).</summary>
    public void DeploymentsWritten() => Interlocked.Increment(ref _deployments);

    public void TokensChanged() => Interlocked.Increment(ref _tokens);

    /// <summary>
    /// A deployment row changed in another process; <paramref name="queued"/> when it became queued, the only change
    /// that wakes this scheduler. A run that ends frees its slot on the instance that ran it, whose own pass claims
    /// the next: waking every instance for it tripled the claim passes, and the drain with 3 instances took twice as
    /// long as with one (bench/ha.sh). The scheduler's safety poll covers an instance that stops with work queued.
    /// </summary>
    public void DeploymentChanged(long deploymentId, bool queued)
    {
        Interlocked.Increment(ref _deployments);
        feed.Notify(deploymentId);
        if (queued)
        {
            services.GetService<IDeploymentSignal>()?.Notify();
        }
    }

    /// <summary>Log rows of the deployment were stored somewhere.</summary>
    public void LogAppended(long deploymentId) => feed.NotifyLog(deploymentId);

    /// <summary>Notifications may have been lost (the listening connection was re-opened): everything counts as changed.</summary>
    public void EverythingChanged()
    {
        Interlocked.Increment(ref _deployments);
        Interlocked.Increment(ref _tokens);
        feed.NotifyAll();
        services.GetService<IDeploymentSignal>()?.Notify();
    }

    /// <summary>This instance lost its lease: what it holds about logs it was writing may now be written by another.</summary>
    public void ForgetLocalState()
    {
        feed.Recent.Clear();
        EverythingChanged();
    }

    public void Dispose() => _sqlite?.Dispose();
}
