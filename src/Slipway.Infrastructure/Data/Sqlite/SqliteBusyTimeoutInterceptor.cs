using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Slipway.Infrastructure.Data.Sqlite;

/// <summary>
/// Sets SQLite's own <c>busy_timeout</c> on every opened connection. Without it, a write that meets another
/// connection's write lock (the log flusher, the engine, the API) gets SQLITE_BUSY back at once and
/// Microsoft.Data.Sqlite retries it after a fixed <c>Thread.Sleep(150)</c>: 150 ms for a lock held a millisecond.
/// SQLite's handler waits in short steps (1, 2, 5, 10 ms, ...) inside the call instead, up to the same limit.
/// </summary>
internal sealed class SqliteBusyTimeoutInterceptor(TimeSpan timeout) : DbConnectionInterceptor
{
    private readonly string _pragma = "PRAGMA busy_timeout = " + ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + ";";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
