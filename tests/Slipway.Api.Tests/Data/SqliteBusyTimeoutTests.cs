using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Fixtures;
using Slipway.Infrastructure;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Tests.Data;

/// <summary>
/// Every connection EF opens on Slipway's SQLite database waits for a competing write lock (up to 30 s) instead of
/// failing at once. Its own SQLite data directory, so it runs the same in the PostgreSQL pass of the suite.
/// </summary>
[Trait(TestDatabase.TraitName, TestDatabase.AnyDatabase)]
public sealed class SqliteBusyTimeoutTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("slipway-busy-timeout-").FullName;

    [Fact]
    public async Task OpenedConnections_HaveSqlitesBusyTimeoutSet()
    {
        await using var services = new ServiceCollection()
            .AddSlipwayData(new SlipwayDataOptions { DataDir = _dataDir, Database = SlipwayDataOptions.Sqlite })
            .BuildServiceProvider();
        var contexts = services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>();
        for (var open = 0; open < 2; open++)
        {
            // Twice: the second open takes the pooled connection back, and the timeout must still be there.
            await using var db = await contexts.CreateDbContextAsync(TestContext.Current.CancellationToken);
            await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA busy_timeout;";
            Assert.Equal(30_000L, (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }
}
