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

    public static Task<Deployment?> FindAsync(SlipwayDbContext db, string uuid, long teamId) => ByUuid(db, uuid, teamId);

    public static async Task<DeploymentResponse> ToResponseAsync(SlipwayDbContext db, Deployment deployment, bool includeLogs, CancellationToken cancellationToken)
    {
        string? logs = null;
        if (includeLogs)
        {
            var entries = await db.DeploymentLogEntries.AsNoTracking()
                .Where(e => e.DeploymentId == deployment.Id)
                .OrderBy(e => e.Order)
                .ToListAsync(cancellationToken);
            logs = DeploymentLogRenderer.Render(entries);
        }

        return DeploymentResponse.From(deployment, logs);
    }

    public static async Task<List<DeploymentResponse>> ToResponsesAsync(SlipwayDbContext db, IReadOnlyList<Deployment> deployments, bool includeLogs, CancellationToken cancellationToken)
    {
        ILookup<long, DeploymentLogEntry>? logs = null;
        if (includeLogs && deployments.Count > 0)
        {
            var ids = deployments.Select(d => d.Id).ToArray();
            // One array parameter: expanded into a parameter per id (EF Core 10's default), a page of more than
            // 32,766 deployments (take is unbounded, as in Coolify) exceeds SQLite's limit and fails.
            var entries = await db.DeploymentLogEntries.AsNoTracking()
                .Where(e => EF.Parameter(ids).Contains(e.DeploymentId))
                .OrderBy(e => e.DeploymentId).ThenBy(e => e.Order)
                .ToListAsync(cancellationToken);
            logs = entries.ToLookup(e => e.DeploymentId);
        }

        return deployments
            .Select(d => DeploymentResponse.From(d, logs is null ? null : DeploymentLogRenderer.Render(logs[d.Id])))
            .ToList();
    }
}
