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

    private static readonly Func<SlipwayDbContext, long, int, int, Task<int?>> NthOrderAfterQuery =
        EF.CompileAsyncQuery((SlipwayDbContext db, long id, int after, int skip) =>
            db.DeploymentLogEntries.Where(e => e.DeploymentId == id && e.Order > after).OrderBy(e => e.Order).Select(e => (int?)e.Order).Skip(skip).FirstOrDefault());

    private static readonly Func<SlipwayDbContext, long, int, Task<int?>> MaxOrderAfterQuery =
        EF.CompileAsyncQuery((SlipwayDbContext db, long id, int after) =>
            db.DeploymentLogEntries.Where(e => e.DeploymentId == id && e.Order > after).Max(e => (int?)e.Order));

    /// <summary>
    /// The status and whether the log's writer (on whichever instance) has stored its last line; null when the
    /// deployment is gone.
    /// </summary>
    public static Task<LogState?> StateAsync(SlipwayDbContext db, long deploymentId) => StateQuery(db, deploymentId);

    /// <summary>
    /// Where a page of at most <paramref name="limit"/> entries after <paramref name="after"/> ends (its last order, or
    /// <paramref name="after"/> when it is empty), and whether more entries follow it: two indexed reads, no rows loaded.
    /// </summary>
    public static async Task<(int LastOrder, bool HasMore)> PageBoundsAsync(SlipwayDbContext db, long deploymentId, int after, int limit)
    {
        if (await NthOrderAfterQuery(db, deploymentId, after, limit - 1) is { } last)
        {
            return (last, await NthOrderAfterQuery(db, deploymentId, last, 0) is not null);
        }

        return (await MaxOrderAfterQuery(db, deploymentId, after) ?? after, false);
    }

    /// <summary>The current status, or null when the deployment is gone (its application was deleted).</summary>
    public static Task<DeploymentStatus?> StatusAsync(SlipwayDbContext db, long deploymentId) => StatusQuery(db, deploymentId);

    /// <summary>Appends to <paramref name="into"/> up to <paramref name="take"/> entries with an order above <paramref name="after"/>, oldest first.</summary>
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
