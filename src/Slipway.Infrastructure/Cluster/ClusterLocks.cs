using Microsoft.EntityFrameworkCore;
using Npgsql;
using Slipway.Core.Cluster;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// <see cref="IClusterLocks"/> on PostgreSQL: a session advisory lock, <c>pg_advisory_lock(scope, id)</c>, held on a
/// connection of its own until disposed; PostgreSQL releases it if the holder dies. Ids are folded to 32 bits:
/// two ids sharing a lock only wait for each other.
/// </summary>
internal sealed class PostgresClusterLocks(SlipwayDataOptions options) : IClusterLocks
{
    public async ValueTask<IAsyncDisposable> AcquireAsync(ClusterLockScope scope, long id, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(options.PostgresConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_lock($1, $2)", connection))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = (int)scope });
                command.Parameters.Add(new NpgsqlParameter { Value = Fold(id) });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return new Held(connection, scope, id);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Takes the lock for the rest of the context's current transaction (<c>pg_advisory_xact_lock</c>); nothing on SQLite.</summary>
    public static async Task LockForTransactionAsync(SlipwayDbContext db, ClusterLockScope scope, long id, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0}, {1})", [(int)scope, Fold(id)], cancellationToken);
        }
    }

    public static int Fold(long id) => unchecked((int)(id ^ (id >> 32)));

    private sealed class Held(NpgsqlConnection connection, ClusterLockScope scope, long id) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1, $2)", connection);
                command.Parameters.Add(new NpgsqlParameter { Value = (int)scope });
                command.Parameters.Add(new NpgsqlParameter { Value = Fold(id) });
                await command.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
                // The session is gone, and its locks with it.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}

/// <summary>
/// <see cref="IClusterLocks"/> on SQLite, where one instance runs: in-process gates, striped by (scope, id) so no
/// per-id bookkeeping needs cleaning up; two keys sharing a gate only wait for each other.
/// </summary>
internal sealed class LocalClusterLocks : IClusterLocks, IDisposable
{
    private readonly SemaphoreSlim[] _gates = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async ValueTask<IAsyncDisposable> AcquireAsync(ClusterLockScope scope, long id, CancellationToken cancellationToken)
    {
        var gate = _gates[(uint)HashCode.Combine(scope, id) % (uint)_gates.Length];
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    public void Dispose()
    {
        foreach (var gate in _gates)
        {
            gate.Dispose();
        }
    }

    private sealed class Release(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
