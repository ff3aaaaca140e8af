using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Http;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Deployments;

namespace Slipway.Api.Features.Deployments;

/// <summary>Loads deployments (the hot path of polling clients served from a cache) and chooses how to answer them.</summary>
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

    /// <summary>What identifies the deployment's log content now (its row count and highest order).</summary>
    public static Task<LogVersion> LogVersionAsync(SlipwayDbContext db, long deploymentId) => LogVersionOf(db, deploymentId);

    /// <summary>A shallow copy of every settable property, so no caller ever holds the cached instance.</summary>
    private static Func<Deployment, Deployment> BuildCopy()
    {
        var source = Expression.Parameter(typeof(Deployment), "source");
        var bindings = typeof(Deployment).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite)
            .Select(p => Expression.Bind(p, Expression.Property(source, p)));
        return Expression.Lambda<Func<Deployment, Deployment>>(Expression.MemberInit(Expression.New(typeof(Deployment)), bindings), source).Compile();
    }

    /// <summary>
    /// The answer for these deployments: with their logs for callers that may read them (streamed from the rows, see
    /// <see cref="DeploymentsWithLogs"/>), else the plain records.
    /// </summary>
    public static Results<Ok<List<DeploymentResponse>>, DeploymentsWithLogs> Answer(IReadOnlyList<Deployment> deployments, bool includeLogs) =>
        includeLogs ? DeploymentsWithLogs.List(deployments) : ApiResults.Ok(deployments.Select(d => DeploymentResponse.From(d, null)).ToList());
}
