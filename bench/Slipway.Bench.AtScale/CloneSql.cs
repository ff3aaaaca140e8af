using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;

namespace Slipway.Bench.AtScale;

/// <summary>
/// The set-based inserts of <see cref="Seeder"/>. Column lists come from EF's model of the entities, so the SQL
/// follows the schema the migrations created: every column is copied from the template row unless the clone needs
/// its own value (uuid, application, times, commit, a status of failed for one in 17).
/// </summary>
internal sealed class CloneSql(SlipwayDbContext db, bool postgres, long template, long firstApp, int applications)
{
    private readonly long _templateId = template;
    private long _lastId = template;

    /// <summary>Clones the template as deployments number <paramref name="from"/>..<paramref name="to"/>.</summary>
    public async Task AddDeploymentsAsync(int from, int to)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["deployment_uuid"] = postgres ? "substr(md5(random()::text || s.n::text), 1, 24)" : "lower(hex(randomblob(12)))",
            ["application_id"] = "a.id",
            ["application_name"] = "a.name",
            ["commit"] = postgres ? "md5(random()::text) || substr(md5(random()::text), 1, 8)" : "lower(hex(randomblob(20)))",
            ["status"] = "CASE WHEN s.n % 17 = 0 THEN 'failed' ELSE t.status END",
            ["created_at"] = Time(0),
            ["started_at"] = Time(0),
            ["updated_at"] = Time(180),
            ["finished_at"] = Time(180),
        };
        var columns = Columns(typeof(Deployment));
        var values = columns.Select(c => overrides.GetValueOrDefault(c, "t." + Quote(c)));
        // Both databases take WITH RECURSIVE before an INSERT; PostgreSQL's series needs no recursion.
        var series = postgres
            ? FormattableString.Invariant($"SELECT generate_series({from}, {to})")
            : FormattableString.Invariant($"SELECT {from} UNION ALL SELECT n + 1 FROM s WHERE n < {to}");
        var sql = FormattableString.Invariant($"""
            WITH RECURSIVE s(n) AS ({series})
            INSERT INTO application_deployment_queues ({string.Join(", ", columns.Select(Quote))})
            SELECT {string.Join(", ", values)}
            FROM s JOIN application_deployment_queues t ON t.id = {_templateId}
            JOIN applications a ON a.id = {firstApp} + s.n % {applications}
            ORDER BY s.n
            """);
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    /// <summary>Copies the template's log rows to every deployment added since the last call.</summary>
    public async Task AddLogsAsync()
    {
        var last = await db.Deployments.MaxAsync(d => d.Id);
        var columns = Columns(typeof(DeploymentLogEntry));
        var values = columns.Select(c => c == "deployment_id" ? "d.id" : "l." + Quote(c));
        var sql = FormattableString.Invariant($"""
            INSERT INTO deployment_log_entries ({string.Join(", ", columns.Select(Quote))})
            SELECT {string.Join(", ", values)}
            FROM application_deployment_queues d JOIN deployment_log_entries l ON l.deployment_id = {_templateId}
            WHERE d.id > {_lastId} AND d.id <= {last}
            ORDER BY d.id, l."order"
            """);
        await db.Database.ExecuteSqlRawAsync(sql);
        _lastId = last;
    }

    /// <summary>The template's time plus n minutes plus <paramref name="seconds"/>, stored as EF stores it.</summary>
    private string Time(int seconds) => postgres
        ? FormattableString.Invariant($"t.created_at + s.n * interval '1 minute' + interval '{seconds} seconds'")
        // EF's SQLite text form: yyyy-MM-dd HH:mm:ss.FFFFFFF.
        : FormattableString.Invariant($"strftime('%Y-%m-%d %H:%M:%S', t.created_at, '+' || (s.n * 60 + {seconds}) || ' seconds') || '.' || printf('%07d', abs(random()) % 10000000)");

    private List<string> Columns(Type entity)
    {
        var type = db.Model.FindEntityType(entity) ?? throw new InvalidOperationException($"{entity} is not in the model.");
        return type.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never || !p.IsPrimaryKey()).Select(p => p.GetColumnName()).ToList();
    }

    private static string Quote(string column) => "\"" + column + "\"";
}
