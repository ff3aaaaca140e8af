using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Slipway.Bench.Seed;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Projects;
using Slipway.Core.Tokens;
using Slipway.Infrastructure;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Tokens;

namespace Slipway.Bench.AtScale;

/// <summary>
/// Builds a database at scale. Slipway's own initialiser creates the schema (its migrations) and the root token; EF
/// adds a project, the applications and one template deployment with its log rows (the realistic lines of
/// <see cref="LogLines"/>); then set-based SQL (a recursive CTE on SQLite, generate_series on PostgreSQL) clones the
/// template into every further deployment, round-robin over the applications, each with its own random uuid and
/// commit, and copies the template's log rows to each. The size is measured after each stage (SQLite: page_count ×
/// page_size after a WAL checkpoint; PostgreSQL: the total size of Slipway's tables with their indexes and TOAST).
/// Prints JSON: tokens, the stages' sizes, the two queued deployments the host will run.
/// </summary>
internal static class Seeder
{
    public static async Task<int> RunAsync(Args args)
    {
        var options = new SlipwayDataOptions
        {
            DataDir = args.Get("data-dir"),
            Database = args.Get("database"),
            PostgresConnectionString = args.Optional("postgres"),
            MasterKey = args.Optional("master-key"),
        };
        var outDir = args.Get("out");
        var applications = args.Int("applications", 1000);
        var perDeployment = args.Int("log-rows-per-deployment", 50);
        var stages = (args.Optional("stages") ?? "10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var postgres = options.UsesPostgres;
        Directory.CreateDirectory(outDir);

        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSlipwayData(options);
        await using var provider = services.BuildServiceProvider();
        var rootToken = await provider.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None)
            ?? throw new InvalidOperationException("The database was not new.");
        var contexts = provider.GetRequiredService<IDbContextFactory<SlipwayDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
        var server = await db.Servers.SingleAsync(s => s.IsLocalhost && s.TeamId == 0);
        var now = Timestamps.Now(TimeProvider.System);
        // Deployment n is created n minutes after the template: the newest last, as ids go.
        var origin = now.AddMinutes(-stages[^1] - 60);

        var project = new Project { Uuid = PublicId.New(), TeamId = 0, Name = "fleet", CreatedAt = now, UpdatedAt = now };
        project.Environments.Add(new ProjectEnvironment { Uuid = PublicId.New(), Name = ProjectEnvironment.DefaultName, CreatedAt = now, UpdatedAt = now });
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        var apps = Enumerable.Range(0, applications).Select(i => new Application
        {
            Uuid = PublicId.New(),
            TeamId = 0,
            EnvironmentId = project.Environments[0].Id,
            ServerId = server.Id,
            Name = FormattableString.Invariant($"service-{i:D4}"),
            GitRepository = FormattableString.Invariant($"https://github.com/acme/service-{i:D4}.git"),
            GitBranch = "main",
            BuildPack = BuildPack.Dockerfile,
            PortsExposes = "3000",
            Fqdn = FormattableString.Invariant($"https://service-{i:D4}.example.com"),
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        db.Applications.AddRange(apps);
        await db.SaveChangesAsync();
        var firstApp = apps.Min(a => a.Id);
        if (apps.Max(a => a.Id) - firstApp + 1 != applications)
        {
            throw new InvalidOperationException("The applications' ids are not contiguous; the clone SQL maps n to firstApp + n % applications.");
        }

        var template = new Deployment
        {
            Uuid = PublicId.New(),
            ApplicationId = apps[0].Id,
            TeamId = 0,
            ServerId = server.Id,
            ServerName = server.Name,
            ApplicationName = apps[0].Name,
            DestinationId = server.Id.ToString(CultureInfo.InvariantCulture),
            Commit = "9f2c1e7b4d0a5e3f8c21d6b9a0e4f7c3d2b1a0e9",
            CommitMessage = "Checkout: show delivery estimate before payment",
            Status = DeploymentStatus.Finished,
            IsApi = true,
            GitType = "github",
            CreatedAt = origin,
            UpdatedAt = origin.AddMinutes(3),
            StartedAt = origin,
            FinishedAt = origin.AddMinutes(3),
            LogComplete = true,
        };
        template.DeploymentUrl = $"/project/{project.Uuid}/environment/{project.Environments[0].Uuid}/application/{apps[0].Uuid}/deployment/{template.Uuid}";
        db.Deployments.Add(template);
        await db.SaveChangesAsync();
        db.DeploymentLogEntries.AddRange(LogLines.Build(template.Id, perDeployment, origin));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        var sql = new CloneSql(db, postgres, template.Id, firstApp, applications);
        var results = new List<object>();
        var done = 1;
        foreach (var target in stages)
        {
            var clock = Stopwatch.StartNew();
            await sql.AddDeploymentsAsync(done, target - 1);
            var deploymentSeconds = clock.Elapsed.TotalSeconds;
            await sql.AddLogsAsync();
            done = target;
            var seeded = clock.Elapsed.TotalSeconds;
            var count = await db.Deployments.LongCountAsync();
            var rows = await db.DeploymentLogEntries.LongCountAsync();
            var (bytes, detail) = await SizeAsync(db, postgres);
            await Console.Error.WriteLineAsync(FormattableString.Invariant(
                $"stage {target}: {count} deployments, {rows} log rows in {seeded:0.0} s (deployments {deploymentSeconds:0.0} s); {bytes} bytes, {bytes / (double)count:0} per deployment ({detail})"));
            results.Add(new { deployments = count, logRows = rows, bytes, seconds = Math.Round(seeded, 1), detail });
        }

        if (postgres)
        {
            // What autovacuum does soon after a bulk load, done before measuring: the planner needs the statistics, and
            // left to autovacuum the first pass over 5,000,000 fresh rows (visibility map, freezing) ran during the reads
            // (most likely: a run with ANALYZE only had uuid p99 206 ms and appends stalled up to 520 ms). A real install's rows arrive over
            // months with autovacuum keeping up.
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            await db.Database.ExecuteSqlRawAsync("VACUUM (ANALYZE)");
            await db.Database.ExecuteSqlRawAsync("CHECKPOINT");
        }

        // Two more deployments, queued: the host moves them to in_progress and writes their logs.
        var running = new List<string>();
        foreach (var app in apps.Take(2))
        {
            var uuid = PublicId.New();
            db.Deployments.Add(new Deployment
            {
                Uuid = uuid,
                ApplicationId = app.Id,
                TeamId = 0,
                ServerId = server.Id,
                ServerName = server.Name,
                ApplicationName = app.Name,
                DestinationId = template.DestinationId,
                DeploymentUrl = $"/project/{project.Uuid}/environment/{project.Environments[0].Uuid}/application/{app.Uuid}/deployment/{uuid}",
                Commit = "HEAD",
                IsApi = true,
                CreatedAt = now,
                UpdatedAt = now,
            });
            running.Add(uuid);
        }

        await db.SaveChangesAsync();

        var finished = await db.Deployments.AsNoTracking().Where(d => d.Status != DeploymentStatus.Queued).Select(d => d.Uuid).ToListAsync();
        await File.WriteAllLinesAsync(Path.Combine(outDir, "deployments.txt"), finished);
        await File.WriteAllLinesAsync(Path.Combine(outDir, "applications.txt"), apps.Select(a => a.Uuid));
        var tokens = provider.GetRequiredService<ApiTokenService>();
        var (_, readToken) = await tokens.CreateAsync(0, "bench-read", ApiAbility.Read, null, CancellationToken.None);
        var lengths = await db.DeploymentLogEntries.Where(e => e.DeploymentId == template.Id).Select(e => e.Output.Length).ToListAsync();
        await Console.Error.WriteLineAsync(FormattableString.Invariant(
            $"Log rows per deployment: {lengths.Count}, output length min {lengths.Min()}, mean {lengths.Average():0}, max {lengths.Max()}."));
        await Console.Out.WriteLineAsync(JsonSerializer.Serialize(new { rootToken, readToken, running, stages = results }));
        return 0;
    }

    private static async Task<(long Bytes, string Detail)> SizeAsync(SlipwayDbContext db, bool postgres)
    {
        if (postgres)
        {
            await db.Database.ExecuteSqlRawAsync("CHECKPOINT");
            var tables = await db.Database.SqlQueryRaw<long>("""
                SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint AS "Value"
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'r'
                """).SingleAsync();
            var database = await db.Database.SqlQueryRaw<long>("SELECT pg_database_size(current_database()) AS \"Value\"").SingleAsync();
            var logTable = await db.Database.SqlQueryRaw<long>("SELECT pg_total_relation_size('deployment_log_entries') AS \"Value\"").SingleAsync();
            return (tables, FormattableString.Invariant($"tables with indexes; log table {logTable} B; pg_database_size {database} B"));
        }

        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        var size = await db.Database.SqlQueryRaw<long>("SELECT page_count * page_size AS \"Value\" FROM pragma_page_count(), pragma_page_size()").SingleAsync();
        var free = await db.Database.SqlQueryRaw<long>("SELECT freelist_count AS \"Value\" FROM pragma_freelist_count()").SingleAsync();
        string logs;
        try
        {
            var logBytes = await db.Database.SqlQueryRaw<long>(
                "SELECT COALESCE(SUM(pgsize), 0) AS \"Value\" FROM dbstat WHERE name = 'deployment_log_entries' OR name LIKE 'IX_deployment_log_entries%'").SingleAsync();
            logs = FormattableString.Invariant($"log table with its index {logBytes} B");
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            logs = "no dbstat in this SQLite build";
        }

        return (size, FormattableString.Invariant($"page_count × page_size; {free} free pages; {logs}"));
    }
}
