using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Fixtures;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Tests.Data;

/// <summary>
/// <see cref="DatabaseInitializer"/> runs EF Core's migrator only when this build has a migration the database lacks:
/// an upgrade still gets every pending migration, an up-to-date database is left as it is.
/// </summary>
public sealed class DatabaseInitializerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Initialize_DatabaseOneMigrationBehind_AppliesTheRest_ThenAStartOnTheUpToDateDatabaseChangesNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        // One name for both starts: on SQLite the data directory holds the database.
        await using var services = TestInstances.Create(database, "slipway");
        var contexts = services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>();
        List<string> known;
        await using (var db = await contexts.CreateDbContextAsync(Ct))
        {
            known = db.Database.GetMigrations().ToList();
            // What the previous release left: every migration but this build's newest.
            await db.GetService<IMigrator>().MigrateAsync(known[^2], cancellationToken: Ct);
            Assert.Equal(known[..^1], await db.Database.GetAppliedMigrationsAsync(Ct));
        }

        var rootToken = await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(Ct);

        Assert.NotNull(rootToken);
        await using (var db = await contexts.CreateDbContextAsync(Ct))
        {
            Assert.Equal(known, await db.Database.GetAppliedMigrationsAsync(Ct));
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
            Assert.Equal(1, await db.Teams.CountAsync(Ct));
        }

        // A second initializer (the next start) on the migrated database: no migration, no second root team or token.
        await using var restarted = TestInstances.Create(database, "slipway");
        Assert.Null(await restarted.GetRequiredService<DatabaseInitializer>().InitializeAsync(Ct));
        await using (var db = await contexts.CreateDbContextAsync(Ct))
        {
            Assert.Equal(known, await db.Database.GetAppliedMigrationsAsync(Ct));
            Assert.Equal(1, await db.Teams.CountAsync(Ct));
        }
    }
}
