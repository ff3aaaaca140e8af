using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Slipway.Core.Cluster;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// Cancelling a deployment that another instance runs: the status has already flipped (one conditional update, on any
/// instance); the run's owner is told by a notification and stops it, writing the reason itself, so the log keeps
/// one writer and its order. A deployment whose owner is this instance, is dead, or is not known is handled locally.
/// </summary>
public sealed partial class RemoteCancellation(
    IDbContextFactory<SlipwayDbContext> contexts,
    SlipwayDataOptions options,
    InstanceLease lease,
    IServiceProvider services,
    ILogger<RemoteCancellation> logger) : IRemoteCancellation
{
    public async Task<bool> TryCancelElsewhereAsync(long deploymentId, string reason, CancellationToken cancellationToken)
    {
        if (!options.UsesPostgres)
        {
            return false;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var owner = await db.Deployments.Where(d => d.Id == deploymentId).Select(d => d.InstanceGeneration).FirstOrDefaultAsync(cancellationToken);
        if (owner is not { } generation || generation == lease.Generation)
        {
            return false;
        }

        var now = await DatabaseClock.ReadAsync(db, cancellationToken);
        if (!await db.Instances.AnyAsync(i => i.Generation == generation && i.LeaseExpiresMs >= now, cancellationToken))
        {
            // Its instance is dead: the instance that takes its work over completes the log.
            return false;
        }

        var payload = string.Create(CultureInfo.InvariantCulture, $"c:{deploymentId}:{generation}:{(reason.Length > 1000 ? reason[..1000] : reason)}");
        await db.Database.ExecuteSqlRawAsync("SELECT slipway_notify({0})", [payload], cancellationToken);
        return true;
    }

    /// <summary>A cancel for a run of <paramref name="generation"/>: stopped here if that is this instance's.</summary>
    internal void Received(long deploymentId, long generation, string reason)
    {
        if (generation != lease.Generation)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await services.GetRequiredService<DeploymentQueue>().CancelHereAsync(deploymentId, reason, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogCancelFailed(logger, ex, deploymentId);
            }
        });
    }

    [LoggerMessage(EventId = 3030, Level = LogLevel.Error, Message = "Could not cancel deployment {DeploymentId} for another instance.")]
    private static partial void LogCancelFailed(ILogger logger, Exception exception, long deploymentId);
}
