using Microsoft.EntityFrameworkCore;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// Leases are measured on the database's clock, the one clock every instance shares, as Unix milliseconds: machines
/// whose clocks disagree still agree on who is dead.
/// </summary>
internal static class DatabaseClock
{
    public const string PostgresNowMs = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

    /// <summary>The SQL expression for "now, in Unix milliseconds" on the context's provider.</summary>
    public static string NowMs(SlipwayDbContext db) => db.Database.IsNpgsql()
        ? PostgresNowMs
        : "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

    public static async Task<long> ReadAsync(SlipwayDbContext db, CancellationToken cancellationToken) =>
        await db.Database.SqlQueryRaw<long>(WithNow(db, "SELECT {now} AS \"Value\"")).SingleAsync(cancellationToken);

    /// <summary>
    /// <paramref name="sql"/> with every <c>{now}</c> replaced by <see cref="NowMs"/>: a fixed expression, never input,
    /// so the statement stays parameterised for everything else (<c>{0}</c>, <c>{1}</c>, ...).
    /// </summary>
    public static string WithNow(SlipwayDbContext db, string sql) => sql.Replace("{now}", NowMs(db), StringComparison.Ordinal);
}
