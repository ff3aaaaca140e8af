using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// SQLite's database-wide change counter, <c>PRAGMA data_version</c>, read on one connection kept open for this alone
/// and never writing: SQLite changes the value whenever another connection, in this process or another, commits.
/// Reading it costs one step of a prepared statement.
/// </summary>
internal sealed class SqliteDataVersion(string path) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly string _connectionString = $"Data Source={path};Pooling=False";
    private SqliteCommand? _command;

    /// <summary>The current value, or null when it could not be read (the file does not exist yet, say).</summary>
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
                Close();
                return null;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            Close();
        }
    }

    private void Close()
    {
        _command?.Connection?.Dispose();
        _command?.Dispose();
        _command = null;
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
