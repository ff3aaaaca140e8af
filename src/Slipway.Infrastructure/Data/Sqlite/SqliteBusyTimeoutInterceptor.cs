using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Slipway.Infrastructure.Data.Sqlite;

/// <summary>
/// Sets SQLite's own <c>busy_timeout</c> on every opened connection. Without it, a write that meets another
/// connection's write lock (the log flusher, the engine, the API) gets SQLITE_BUSY back at once and
/// Microsoft.Data.Sqlite retries it after a fixed <c>Thread.Sleep(150)</c>: 150 ms for a lock held a millisecond.
/// SQLite's handler waits in short steps (1, 2, 5, 10 ms, ...) inside the call instead, up to the same limit.
/// EF opens a connection for every query, so this is one C call on the native handle, not a PRAGMA statement
/// prepared and run each time.
/// </summary>
internal sealed class SqliteBusyTimeoutInterceptor(TimeSpan timeout) : DbConnectionInterceptor
{
    private readonly int _milliseconds = (int)Math.Min(timeout.TotalMilliseconds, int.MaxValue);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            SQLitePCL.raw.sqlite3_busy_timeout(handle, _milliseconds);
        }
    }
}
