using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Deployments;

namespace Slipway.Api.Dashboard.Logs;

/// <summary>
/// The reads of the deployment page: the newest lines (by the (deployment, order) index, newest first, so a
/// 100,000-line log costs what a short one does), a page from an order on, a search on the server, and the steps
/// with their durations from the pipeline's <c>-----&gt;</c> headers and <c>done in</c> lines.
/// </summary>
public sealed class LogView(DeploymentLogFeed feed)
{
    public const int PageSize = 1000;
    public const int MaxMatches = 500;
    private const string StepPrefix = "-----> ";
    private const string DonePrefix = "       done in ";
    private const int MaxCachedSteps = 2048;

    /// <summary>Steps of finished logs, which never change again (one scan of a long log, then none).</summary>
    private readonly ConcurrentDictionary<(string Database, long Deployment), IReadOnlyList<Step>> _steps = new();

    public sealed record Step(string Title, DateTime StartedAt, double? Seconds);

    /// <summary>The newest <see cref="PageSize"/> lines (debug lines only when asked), oldest first, and the highest order stored.</summary>
    public static async Task<(List<DeploymentLogEntry> Lines, int LastOrder)> TailAsync(SlipwayDbContext db, long deploymentId, bool debug, CancellationToken cancellationToken)
    {
        var last = await db.DeploymentLogEntries.Where(e => e.DeploymentId == deploymentId).MaxAsync(e => (int?)e.Order, cancellationToken) ?? 0;
        var query = db.DeploymentLogEntries.AsNoTracking().Where(e => e.DeploymentId == deploymentId && e.Order <= last);
        if (!debug)
        {
            query = query.Where(e => !e.Hidden);
        }

        var lines = await query.OrderByDescending(e => e.Order).Take(PageSize).ToListAsync(cancellationToken);
        lines.Reverse();
        return (lines, last);
    }

    /// <summary>Up to <see cref="PageSize"/> lines from order <paramref name="from"/> on.</summary>
    public static Task<List<DeploymentLogEntry>> PageAsync(SlipwayDbContext db, long deploymentId, int from, bool debug, CancellationToken cancellationToken)
    {
        var query = db.DeploymentLogEntries.AsNoTracking().Where(e => e.DeploymentId == deploymentId && e.Order >= from);
        if (!debug)
        {
            query = query.Where(e => !e.Hidden);
        }

        return query.OrderBy(e => e.Order).Take(PageSize).ToListAsync(cancellationToken);
    }

    /// <summary>Lines whose text holds <paramref name="term"/> (any case), oldest first, at most <see cref="MaxMatches"/>.</summary>
    public static Task<List<DeploymentLogEntry>> SearchAsync(SlipwayDbContext db, long deploymentId, string term, CancellationToken cancellationToken)
    {
        var lower = term.ToLowerInvariant();
        // lower(output) LIKE on both SQLite and PostgreSQL; the StringComparison overload has no SQL translation.
#pragma warning disable CA1862
        return db.DeploymentLogEntries.AsNoTracking()
            .Where(e => e.DeploymentId == deploymentId && e.Output.ToLower().Contains(lower))
#pragma warning restore CA1862
            .OrderBy(e => e.Order).Take(MaxMatches).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Step>> StepsAsync(SlipwayDbContext db, Deployment deployment, CancellationToken cancellationToken)
    {
        var key = (db.Database.GetConnectionString() ?? string.Empty, deployment.Id);
        if (_steps.TryGetValue(key, out var cached))
        {
            return cached;
        }

        // Checked before reading: a log nobody writes any more with a terminal status is complete.
        var complete = deployment.Status.IsTerminal() && !feed.IsWriting(deployment.Id);
        var rows = await db.DeploymentLogEntries.AsNoTracking()
            .Where(e => e.DeploymentId == deployment.Id && e.Command == null
                && (e.Output.StartsWith(StepPrefix) || e.Output.StartsWith(DonePrefix)))
            .OrderBy(e => e.Order)
            .Select(e => new { e.Output, e.Timestamp })
            .ToListAsync(cancellationToken);
        var steps = new List<Step>();
        foreach (var row in rows)
        {
            if (row.Output.StartsWith(StepPrefix, StringComparison.Ordinal))
            {
                steps.Add(new Step(row.Output[StepPrefix.Length..], row.Timestamp, null));
            }
            else if (steps.Count > 0 && steps[^1].Seconds is null
                && double.TryParse(row.Output[DonePrefix.Length..].TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                steps[^1] = steps[^1] with { Seconds = seconds };
            }
        }

        if (complete)
        {
            if (_steps.Count >= MaxCachedSteps)
            {
                _steps.Clear();
            }

            _steps[key] = steps;
        }

        return steps;
    }
}
