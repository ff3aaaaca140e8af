using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Http;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Deployments;

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

    private static readonly Func<Deployment, Deployment> Copy = BuildCopy();

    /// <summary>
    /// The team's deployment by uuid. A row read before is answered again, as a copy, while
    /// <see cref="DeploymentRowCache"/> shows that no deployment row has changed since, on any instance.
    /// </summary>
    public static async Task<Deployment?> FindAsync(SlipwayDbContext db, DeploymentRowCache rows, string uuid, long teamId)
    {
        var version = rows.Version();
        if (rows.TryGet(uuid, teamId, version) is { } cached)
        {
            return Copy(cached.Row);
        }

        var row = await ByUuid(db, uuid, teamId);
        if (row is not null && version is { } read)
        {
            rows.Set(uuid, teamId, read, Copy(row));
        }

        return row;
    }

    /// <summary>
    /// The answer without logs (what a <c>read</c> token gets) as UTF-8 JSON, when <see cref="FindAsync"/> cached
    /// the row and nothing changed since; null otherwise. It is serialised once per cached row, and needs no
    /// database context: the hot path of a polling client neither rents one nor serialises anything.
    /// </summary>
    public static byte[]? TryCachedPublicAnswer(DeploymentRowCache rows, string uuid, long teamId)
    {
        if (rows.TryGet(uuid, teamId, rows.Version()) is not { } cached)
        {
            return null;
        }

        // Two requests may both serialise it; they produce the same bytes.
        return cached.PublicAnswer ??= JsonSerializer.SerializeToUtf8Bytes(DeploymentResponse.From(cached.Row, null), SlipwayJson.Options);
    }

    public static async Task<DeploymentResponse> ToResponseAsync(
        SlipwayDbContext db, RenderedLogCache rendered, Deployment deployment, bool includeLogs, CancellationToken cancellationToken)
    {
        var logs = includeLogs ? await RenderLogsAsync(db, rendered, deployment.Id, cancellationToken) : null;
        return DeploymentResponse.From(deployment, logs);
    }

    /// <summary>The deployment's rendered log, from <see cref="RenderedLogCache"/> when its rows have not changed.</summary>
    private static async Task<string> RenderLogsAsync(SlipwayDbContext db, RenderedLogCache rendered, long deploymentId, CancellationToken cancellationToken)
    {
        var version = await LogVersionOf(db, deploymentId);
        if (version.Count > 0 && rendered.Get(deploymentId, version) is { } cached)
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
            rendered.Set(deploymentId, version, logs);
        }

        return logs;
    }

    /// <summary>A shallow copy of every settable property, so no caller ever holds the cached instance.</summary>
    private static Func<Deployment, Deployment> BuildCopy()
    {
        var source = Expression.Parameter(typeof(Deployment), "source");
        var bindings = typeof(Deployment).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite)
            .Select(p => Expression.Bind(p, Expression.Property(source, p)));
        return Expression.Lambda<Func<Deployment, Deployment>>(Expression.MemberInit(Expression.New(typeof(Deployment)), bindings), source).Compile();
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
