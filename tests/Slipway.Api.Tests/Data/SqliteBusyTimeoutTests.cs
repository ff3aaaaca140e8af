using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;

namespace Slipway.Api.Tests.Data;

/// <summary>Every connection EF opens on SQLite waits for a competing write lock (up to 30 s) instead of failing at once.</summary>
public sealed class SqliteBusyTimeoutTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task OpenedConnections_HaveSqlitesBusyTimeoutSet()
    {
        Assert.SkipWhen(TestDatabase.UsePostgres, "busy_timeout is SQLite's.");
        for (var open = 0; open < 2; open++)
        {
            // Twice: the second open takes the pooled connection back, and the timeout must still be there.
            await using var db = factory.CreateDbContext();
            await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA busy_timeout;";
            Assert.Equal(30_000L, (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
        }
    }
}
