using System.Diagnostics;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Slipway.Core.Cluster;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// This instance's membership: its row in <c>slipway_instances</c>, the lease it renews, and the fence every run
/// checks (<see cref="IRunFence"/>). The lease is counted twice: by the database (<c>lease_expires_ms</c>, on its
/// clock, which the others read) and here, from just before each renewal was sent, minus a margin — so this
/// instance always believes itself dead before anyone else may, and a frozen instance that wakes up finds its lease
/// gone before it can touch anything.
/// </summary>
public sealed partial class InstanceLease(
    IDbContextFactory<SlipwayDbContext> contexts,
    ClusterOptions options,
    SlipwayDataOptions data,
    TimeProvider clock,
    ILogger<InstanceLease> logger) : IRunFence, IDisposable
{
    private FileStream? _nameLock;
    private long _generation;
    private long _validUntil;
    private long _healthySince;

    /// <summary>The current lease generation; 0 while not registered (an API-only host, the CLI: nothing to fence).</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public string Name { get; } = options.InstanceName is { Length: > 0 } name ? name : $"{Environment.MachineName}:{data.FullDataDir}";

    public string MachineId { get; } = options.ResolveMachineId();

    /// <summary>Whether this instance runs the <c>localhost</c> server's work (it is on the machine that server is).</summary>
    public bool RunsLocalhost { get; private set; } = true;

    public ClusterOptions Options => options;

    /// <summary>
    /// True when other instances' expired leases may be acted on: this instance has renewed its own without a
    /// failure for a whole lease. After a database outage every lease looks expired; waiting one lease lets the live
    /// instances renew first.
    /// </summary>
    public bool MayTakeOver => Generation != 0 && Stopwatch.GetElapsedTime(Interlocked.Read(ref _healthySince)) >= options.Lease;

    /// <summary>
    /// Registers a new generation: takes the data directory's instance lock (one process per name), binds the
    /// localhost server to this machine if no machine has it yet, and expires this name's earlier generations — they
    /// were this same instance before a crash, so their work can be recovered at once.
    /// </summary>
    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        TakeNameLock();
        var started = Stopwatch.GetTimestamp();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = await DatabaseClock.ReadAsync(db, cancellationToken);
        var row = new SlipwayInstance
        {
            Name = Name,
            MachineId = MachineId,
            WorkRoot = Path.Combine(data.FullDataDir, "work"),
            Version = typeof(InstanceLease).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0],
            StartedAt = clock.GetUtcNow().UtcDateTime,
            HeartbeatMs = now,
            LeaseExpiresMs = now + (long)options.Lease.TotalMilliseconds,
        };
        db.Instances.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(
            DatabaseClock.WithNow(db, "UPDATE slipway_instances SET lease_expires_ms = {now} - 1 WHERE name = {0} AND generation <> {1} AND lease_expires_ms >= {now}"),
            [Name, row.Generation], cancellationToken);

        var bound = await db.ClusterSettings.Where(s => s.Key == ClusterSetting.LocalhostMachine).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
        if (bound is null)
        {
            db.ClusterSettings.Add(new ClusterSetting { Key = ClusterSetting.LocalhostMachine, Value = MachineId });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                bound = MachineId;
            }
            catch (DbUpdateException)
            {
                // Another instance bound it first.
                db.ChangeTracker.Clear();
                bound = await db.ClusterSettings.Where(s => s.Key == ClusterSetting.LocalhostMachine).Select(s => s.Value).FirstAsync(cancellationToken);
            }
        }

        RunsLocalhost = bound == MachineId;
        Interlocked.Exchange(ref _validUntil, started + ToTicks(options.Lease - options.SafetyMargin));
        Interlocked.Exchange(ref _healthySince, started);
        Interlocked.Exchange(ref _generation, row.Generation);
        LogRegistered(logger, Name, row.Generation, options.Lease.TotalSeconds, options.Heartbeat.TotalSeconds, RunsLocalhost);
    }

    /// <summary>Renews the lease; false when it had expired (another instance may have taken over): this generation is over.</summary>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        var generation = Generation;
        var sent = Stopwatch.GetTimestamp();
        int renewed;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            renewed = await db.Database.ExecuteSqlRawAsync(
                DatabaseClock.WithNow(db, "UPDATE slipway_instances SET heartbeat_ms = {now}, lease_expires_ms = {now} + {0} WHERE generation = {1} AND lease_expires_ms > {now} AND stopped_at IS NULL"),
                [(long)options.Lease.TotalMilliseconds, generation], cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is unreachable (restarting, say): the lease runs on; try again at the next beat.
            Interlocked.Exchange(ref _healthySince, long.MaxValue / 2);
            LogRenewFailed(logger, ex);
            return Holds(generation);
        }

        if (renewed == 0)
        {
            Interlocked.CompareExchange(ref _generation, 0, generation);
            Interlocked.Exchange(ref _validUntil, 0);
            return false;
        }

        Interlocked.Exchange(ref _validUntil, sent + ToTicks(options.Lease - options.SafetyMargin));
        if (Interlocked.Read(ref _healthySince) > sent)
        {
            Interlocked.Exchange(ref _healthySince, sent);
        }

        return true;
    }

    /// <summary>Ends this generation on a clean stop: its lease expires now, so nothing waits for it.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var generation = Interlocked.Exchange(ref _generation, 0);
        if (generation == 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(
            DatabaseClock.WithNow(db, "UPDATE slipway_instances SET stopped_at = {0}, lease_expires_ms = {now} - 1 WHERE generation = {1}"),
            [clock.GetUtcNow().UtcDateTime, generation], cancellationToken);
    }

    public bool Holds(long? generation) =>
        generation is null || (generation.Value == Generation && generation.Value != 0 && Stopwatch.GetTimestamp() < Interlocked.Read(ref _validUntil));

    /// <summary>For the log writer: a writer opened under <paramref name="generation"/> (0: none) may still write.</summary>
    public bool MayWrite(long generation) => generation == 0 || Holds(generation);

    public async Task EnsureOwnedAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        var generation = deployment.InstanceGeneration;
        if (!Holds(generation))
        {
            throw new DeploymentFencedException($"Slipway instance '{Name}' lost its lease (generation {generation}); another instance owns the deployment now.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Deployments.AnyAsync(d => d.Id == deployment.Id && d.InstanceGeneration == generation, cancellationToken))
        {
            throw new DeploymentFencedException($"Deployment {deployment.Uuid} was taken over by another instance.");
        }
    }

    public void Dispose() => _nameLock?.Dispose();

    private void TakeNameLock()
    {
        if (_nameLock is not null)
        {
            return;
        }

        Directory.CreateDirectory(data.FullDataDir);
        var path = Path.Combine(data.FullDataDir, "instance.lock");
        try
        {
            _nameLock = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"Another Slipway instance runs on the data directory {data.FullDataDir}: give each instance its own (--data-dir).", ex);
        }
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Instance {Name} joined as generation {Generation} (lease {LeaseSeconds} s, heartbeat {HeartbeatSeconds} s, runs localhost work: {RunsLocalhost}).")]
    private static partial void LogRegistered(ILogger logger, string name, long generation, double leaseSeconds, double heartbeatSeconds, bool runsLocalhost);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Could not renew this instance's lease; retrying at the next heartbeat.")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);
}
