using Microsoft.EntityFrameworkCore;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Deployments;

/// <summary>The two reads live followers repeat: a deployment's status, and its log rows after an order.</summary>
internal static class DeploymentLogReads
{
    private static readonly Func<SlipwayDbContext, long, Task<DeploymentStatus?>> StatusQuery =
        EF.CompileAsyncQuery((SlipwayDbContext db, long id) =>
            db.Deployments.Where(d => d.Id == id).Select(d => (DeploymentStatus?)d.Status).FirstOrDefault());

    private static readonly Func<SlipwayDbContext, long, Task<LogState?>> StateQuery =
        EF.CompileAsyncQuery((SlipwayDbContext db, long id) =>
            db.Deployments.Where(d => d.Id == id).Select(d => new LogState(d.Status, d.LogComplete, d.InstanceGeneration)).FirstOrDefault());

    private static readonly Func<SlipwayDbContext, long, int, int, IAsyncEnumerable<DeploymentLogEntry>> AfterQuery =
        EF.CompileAsyncQuery((SlipwayDbContext db, long id, int after, int take) =>
            db.DeploymentLogEntries.AsNoTracking().Where(e => e.DeploymentId == id && e.Order > after).OrderBy(e => e.Order).Take(take));

    /// <summary>The current status, or null when the deployment is gone (its application was deleted).</summary>
    public static Task<DeploymentStatus?> StatusAsync(SlipwayDbContext db, long deploymentId) => StatusQuery(db, deploymentId);

    /// <summary>
    /// The status and whether the log's writer (on whichever instance) has stored its last line; null when the
    /// deployment is gone.
    /// </summary>
    public static Task<LogState?> StateAsync(SlipwayDbContext db, long deploymentId) => StateQuery(db, deploymentId);

    /// <summary>Up to <paramref name="take"/> entries with an order above <paramref name="after"/>, oldest first.</summary>
    public static async Task<List<DeploymentLogEntry>> AfterAsync(SlipwayDbContext db, long deploymentId, int after, int take, CancellationToken cancellationToken)
    {
        var entries = new List<DeploymentLogEntry>(Math.Min(take, 1024));
        await ReadAfterAsync(db, deploymentId, after, take, entries, cancellationToken);
        return entries;
    }

    /// <summary>Appends to <paramref name="into"/> what <see cref="AfterAsync"/> returns, for a caller reusing one list.</summary>
    public static async Task ReadAfterAsync(
        SlipwayDbContext db, long deploymentId, int after, int take, List<DeploymentLogEntry> into, CancellationToken cancellationToken)
    {
        await foreach (var entry in AfterQuery(db, deploymentId, after, take).WithCancellation(cancellationToken))
        {
            into.Add(entry);
        }
    }
}

/// <summary>A deployment's status, whether its log is complete (<c>log_complete</c>), and the instance generation that ran it.</summary>
internal sealed record LogState(DeploymentStatus Status, bool LogComplete, long? InstanceGeneration);
