using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// Keeps this instance's lease and watches the others'. It registers before the scheduler starts (so start-up
/// recovery knows this instance's generation), renews every <see cref="ClusterOptions.Heartbeat"/>, and wakes just
/// after the next lease of another instance would expire: when one did and that instance left work behind, the
/// scheduler is asked to recover it. When this instance finds its own lease gone (it was frozen or cut off for
/// longer than the lease), it stops its runs without touching their deployments — another instance owns them — and
/// joins again as a new generation.
/// </summary>
public sealed partial class ClusterHeartbeat(
    InstanceLease lease,
    IDbContextFactory<SlipwayDbContext> contexts,
    RunningDeployments running,
    DeploymentScheduler scheduler,
    CacheInvalidation caches,
    ILogger<ClusterHeartbeat> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await lease.RegisterAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await lease.StopAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStopFailed(logger, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var heartbeat = lease.Options.Heartbeat;
        var lastBeat = Stopwatch.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            var untilExpiry = await CheckOthersAsync(stoppingToken);
            var untilBeat = heartbeat - Stopwatch.GetElapsedTime(lastBeat);
            var delay = untilExpiry is { } expiry && expiry < untilBeat ? expiry : untilBeat;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, stoppingToken);
            }

            if (Stopwatch.GetElapsedTime(lastBeat) < heartbeat)
            {
                continue;
            }

            lastBeat = Stopwatch.GetTimestamp();
            if (!await lease.RenewAsync(stoppingToken) && lease.Generation == 0)
            {
                LogLeaseLost(logger, lease.Name);
                running.FenceAll($"Slipway instance '{lease.Name}' lost its lease: another instance took its deployments over.");
                caches.ForgetLocalState();
                await RejoinAsync(stoppingToken);
            }
        }
    }

    private async Task RejoinAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await lease.RegisterAsync(stoppingToken);
                scheduler.RequestRecovery();
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRejoinFailed(logger, ex);
                await Task.Delay(lease.Options.Heartbeat, stoppingToken);
            }
        }
    }

    /// <summary>
    /// Asks for recovery when a dead instance left work; returns how long until the next live lease of another
    /// instance expires (null when none will within a heartbeat), so a death is noticed as soon as it is one.
    /// </summary>
    private async Task<TimeSpan?> CheckOthersAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(stoppingToken);
            var now = await DatabaseClock.ReadAsync(db, stoppingToken);
            if (lease.MayTakeOver && await OrphansExistAsync(db, now, stoppingToken))
            {
                scheduler.RequestRecovery();
            }

            var next = await db.Instances.Where(i => i.Generation != lease.Generation && i.LeaseExpiresMs >= now && i.StoppedAt == null)
                .MinAsync(i => (long?)i.LeaseExpiresMs, stoppingToken);
            return next is { } expires ? TimeSpan.FromMilliseconds(expires - now + 50) : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckFailed(logger, ex);
            return null;
        }
    }

    private static Task<bool> OrphansExistAsync(SlipwayDbContext db, long now, CancellationToken cancellationToken)
    {
        var dead = db.Instances.Where(i => i.LeaseExpiresMs < now).Select(i => (long?)i.Generation);
        return db.Deployments.AnyAsync(
            d => d.InstanceGeneration != null && dead.Contains(d.InstanceGeneration)
                && (d.Status == DeploymentStatus.InProgress || !d.LogComplete),
            cancellationToken);
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "Instance {Name} lost its lease (frozen or cut off for longer than the lease): its runs are stopped, untouched; joining again.")]
    private static partial void LogLeaseLost(ILogger logger, string name);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Could not join again; retrying.")]
    private static partial void LogRejoinFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Could not check the other instances' leases.")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Could not end this instance's lease on stop.")]
    private static partial void LogStopFailed(ILogger logger, Exception exception);
}
