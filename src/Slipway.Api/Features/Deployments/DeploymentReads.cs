using Microsoft.EntityFrameworkCore;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Deployments;

/// <summary>Loads deployments and, for privileged callers, renders their logs from the log rows.</summary>
internal static class DeploymentReads
{
    private static readonly Func<SlipwayDbContext, string, long, Task<Deployment?>> ByUuid =
        EF.CompileAsyncQuery((SlipwayDbContext db, string uuid, long teamId) =>
            db.Deployments.AsNoTracking().FirstOrDefault(d => d.Uuid == uuid && d.TeamId == teamId));

    private static readonly Func<SlipwayDbContext, long, Task<LogVersion>> LogVersionOf =
        EF.CompileAsyncQuery((SlipwayDbContext db, long deploymentId) =>
            db.DeploymentLogEntries.Where(e => e.DeploymentId == deploymentId)
                .GroupBy(e => e.DeploymentId)
                .Select(g => new LogVersion(g.Count(), g.Max(e => e.Order)))
                .FirstOrDefault());

    public static Task<Deployment?> FindAsync(SlipwayDbContext db, string uuid, long teamId) => ByUuid(db, uuid, teamId);

    public static async Task<DeploymentResponse> ToResponseAsync(SlipwayDbContext db, Deployment deployment, bool includeLogs, CancellationToken cancellationToken)
    {
        var logs = includeLogs ? await RenderLogsAsync(db, deployment.Id, cancellationToken) : null;
        return DeploymentResponse.From(deployment, logs);
    }

    /// <summary>The deployment's rendered log, from <see cref="RenderedLogCache"/> when its rows have not changed.</summary>
    private static async Task<string> RenderLogsAsync(SlipwayDbContext db, long deploymentId, CancellationToken cancellationToken)
    {
        var version = await LogVersionOf(db, deploymentId);
        var database = db.Database.GetConnectionString() ?? string.Empty;
        if (version.Count > 0 && RenderedLogCache.Get(database, deploymentId, version) is { } cached)
        {
            return cached;
        }

        var entries = await db.DeploymentLogEntries.AsNoTracking()
            .Where(e => e.DeploymentId == deploymentId)
            .OrderBy(e => e.Order)
            .ToListAsync(cancellationToken);
        var logs = DeploymentLogRenderer.Render(entries);

        // Cached under the version read before the rows: a row appended in between makes the entry look older
        // than it is, so the next read renders again; it never makes a stale entry look current.
        if (version.Count > 0)
        {
            RenderedLogCache.Set(database, deploymentId, version, logs);
        }

        return logs;
    }

    public static async Task<List<DeploymentResponse>> ToResponsesAsync(SlipwayDbContext db, IReadOnlyList<Deployment> deployments, bool includeLogs, CancellationToken cancellationToken)
    {
        ILookup<long, DeploymentLogEntry>? logs = null;
        if (includeLogs && deployments.Count > 0)
        {
            var ids = deployments.Select(d => d.Id).ToArray();
            var entries = await db.DeploymentLogEntries.AsNoTracking()
                .Where(e => ids.Contains(e.DeploymentId))
                .OrderBy(e => e.DeploymentId).ThenBy(e => e.Order)
                .ToListAsync(cancellationToken);
            logs = entries.ToLookup(e => e.DeploymentId);
        }

        return deployments
            .Select(d => DeploymentResponse.From(d, logs is null ? null : DeploymentLogRenderer.Render(logs[d.Id])))
            .ToList();
    }
}
