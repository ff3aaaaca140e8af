using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Deployments;

/// <summary>
/// SQLite's database-wide change counter, <c>PRAGMA data_version</c>, read on one connection per database that
/// is kept open for this alone and never writes. SQLite changes the value whenever any other connection, in this
/// process or another, commits a change to the file. A value read before a row was read is therefore still the
/// current value only if nothing at all has been committed since: then the row as read is still the row.
/// Reading it costs one step of a prepared statement instead of a pooled connection's open, prepare and close.
/// PostgreSQL has no such counter; <c>For</c> answers null there and callers read as before.
/// </summary>
internal sealed class SqliteChangeCounter
{
    private static readonly ConcurrentDictionary<string, SqliteChangeCounter> Counters = new();
    private static readonly ConditionalWeakTable<IDbContextFactory<SlipwayDbContext>, StrongBox<SqliteChangeCounter?>> ByFactory = new();

    private readonly Lock _lock = new();
    private readonly string _connectionString;
    private SqliteCommand? _command;

    private SqliteChangeCounter(string connectionString) => _connectionString = connectionString;

    /// <summary>The database this counter watches (its connection string), for keying what it validates.</summary>
    public string Database => _connectionString;

    /// <summary>The counter of the context's database, or null when it is not SQLite.</summary>
    public static SqliteChangeCounter? For(SlipwayDbContext db) =>
        db.Database.GetDbConnection() is SqliteConnection && db.Database.GetConnectionString() is { } connectionString
            ? Counters.GetOrAdd(connectionString, static cs => new SqliteChangeCounter(cs))
            : null;

    /// <summary>
    /// The counter of the factory's database, or null when it is not SQLite; worked out once per factory (with one
    /// context), so a caller answering from a cache needs no context at all.
    /// </summary>
    public static SqliteChangeCounter? For(IDbContextFactory<SlipwayDbContext> contexts) =>
        ByFactory.GetValue(contexts, static factory =>
        {
            using var db = factory.CreateDbContext();
            return new StrongBox<SqliteChangeCounter?>(For(db));
        }).Value;

    /// <summary>The current <c>data_version</c>, or null when it could not be read (callers then read the database).</summary>
    public long? TryRead()
    {
        lock (_lock)
        {
            try
            {
                _command ??= Open();
                return (long)_command.ExecuteScalar()!;
            }
            catch (DbException)
            {
                _command?.Connection?.Dispose();
                _command?.Dispose();
                _command = null;
                return null;
            }
        }
    }

    private SqliteCommand Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        var command = connection.CreateCommand();
        command.CommandText = "PRAGMA data_version;";
        return command;
    }
}
