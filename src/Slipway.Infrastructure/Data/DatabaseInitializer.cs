using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Slipway.Core.Cluster;
using Slipway.Core.Common;
using Slipway.Core.Servers;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Teams;
using Slipway.Infrastructure.Tokens;

namespace Slipway.Infrastructure.Data;

/// <summary>Applies migrations and, on an empty database, creates the root team, the localhost server and a root token.</summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<SlipwayDbContext> contexts,
    TeamService teams,
    ApiTokenService tokens,
    IClusterLocks locks,
    TimeProvider clock)
{
    public const string RootTokenName = "root";

    private readonly TaskCompletionSource _migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this process has migrated the database (what watches it waits for the tables).</summary>
    public Task Migrated => _migrated.Task;

    /// <summary>Migrates; returns the root token's plain text when it was just created, otherwise null.</summary>
    public async Task<string?> InitializeAsync(CancellationToken cancellationToken)
    {
        // Instances starting together migrate and seed one after the other: one root team, one root token.
        await using var startup = await locks.AcquireAsync(ClusterLockScope.Startup, 0, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await HasPendingMigrationsAsync(db, cancellationToken))
        {
            // Only then: MigrateAsync also builds the migrations' snapshot model and diffs it against the entities,
            // thousands of EF Core methods jitted on every start for a check that has nothing to act on (bench/idle-rss.sh).
            await db.Database.MigrateAsync(cancellationToken);
        }

        _migrated.TrySetResult();
        if (db.Database.IsSqlite())
        {
            // WAL lets the API read while the engine appends log rows; it is a property of the file, set once.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        if (await db.Teams.AnyAsync(cancellationToken))
        {
            return null;
        }

        var root = await teams.CreateAsync(db, "Root Team", cancellationToken);
        var now = Timestamps.Now(clock);
        db.Servers.Add(new Server
        {
            Uuid = PublicId.New(),
            TeamId = root.Id,
            Name = "localhost",
            Description = "This machine: commands run as local processes.",
            Ip = "127.0.0.1",
            IsLocalhost = true,
            IsReachable = true,
            IsUsable = true,
            CreatedAt = now,
            UpdatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        var (_, plainText) = await tokens.CreateAsync(root.Id, RootTokenName, ApiAbility.Root, null, cancellationToken);
        return plainText;
    }

    /// <summary>
    /// Whether this build has migrations the database lacks. A database that has migrations this build does not know
    /// was migrated by a newer Slipway: running against it (or "migrating" it) could corrupt what the newer instances
    /// rely on, so this instance refuses to start.
    /// </summary>
    private static async Task<bool> HasPendingMigrationsAsync(SlipwayDbContext db, CancellationToken cancellationToken)
    {
        // Created first (empty) on a fresh database: EF Core reads a missing history table by failing a query, which it
        // logs as an error on PostgreSQL, the first thing a new install printed.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var unknown = applied.Where(m => !known.Contains(m)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new DatabaseTooNewException(
                $"The database was migrated by a newer version of Slipway (migration {unknown[^1]}); this version knows migrations up to "
                + $"{known.Order(StringComparer.Ordinal).LastOrDefault() ?? "(none)"}. Upgrade this instance to the version the others run.");
        }

        return !known.IsSubsetOf(applied);
    }
}
