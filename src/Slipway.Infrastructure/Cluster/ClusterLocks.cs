using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Slipway.Core.Cluster;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// <see cref="IClusterLocks"/> on PostgreSQL: session advisory locks, <c>pg_advisory_lock(scope, id)</c>, which
/// PostgreSQL releases when the holding instance dies. All of this instance's locks live on one session of their own,
/// taken with <c>pg_try_advisory_lock</c> and tried again after a short pause (1 ms doubling to 25 ms) while another
/// instance holds one. A waiter holds no database connection: with a connection per waiting lock, fifty webhooks
/// waiting for one server's queue took the whole connection pool, and the holder, which needs a connection to do its
/// work, timed out (the requests answered 500). Within the instance, the holders of one key queue on an in-process
/// gate first (first come, first served), so the shared session never takes a key twice (advisory locks re-enter
/// within a session) and locks on different keys nest freely. Ids are folded to 32 bits: two ids sharing a lock only
/// wait for each other.
/// </summary>
internal sealed partial class PostgresClusterLocks(PostgresSessions sessions, ILogger<PostgresClusterLocks> logger) : IClusterLocks, IAsyncDisposable
{
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(25);

    /// <summary>How long a lock is retried while the database cannot be reached (a PostgreSQL restart fails nothing).</summary>
    private static readonly TimeSpan OutageBudget = TimeSpan.FromSeconds(60);

    private readonly KeyedGates<(ClusterLockScope, long)> _gates = new();
    private readonly SemaphoreSlim _session = new(1, 1);
    private NpgsqlConnection? _connection;
    private long _sessionNumber;

    public async ValueTask<IAsyncDisposable> AcquireAsync(ClusterLockScope scope, long id, CancellationToken cancellationToken)
    {
        var gate = await _gates.EnterAsync((scope, id), cancellationToken);
        try
        {
            var pause = TimeSpan.FromMilliseconds(1);
            while (true)
            {
                if (await TryTakeAsync(gate, scope, id, cancellationToken) is { } held)
                {
                    return held;
                }

                await Task.Delay(pause + TimeSpan.FromMilliseconds(Random.Shared.Next(2)), cancellationToken);
                pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
            }
        }
        catch
        {
            gate.Dispose();
            throw;
        }
    }

    public async ValueTask<IAsyncDisposable?> TryAcquireAsync(ClusterLockScope scope, long id, CancellationToken cancellationToken)
    {
        var gate = await _gates.EnterAsync((scope, id), cancellationToken);
        try
        {
            if (await TryTakeAsync(gate, scope, id, cancellationToken) is { } held)
            {
                return held;
            }
        }
        catch
        {
            gate.Dispose();
            throw;
        }

        gate.Dispose();
        return null;
    }

    /// <summary>One <c>pg_try_advisory_lock</c> on the shared session, with this process's gate for the key held by the caller.</summary>
    private async Task<Held?> TryTakeAsync(IDisposable gate, ClusterLockScope scope, long id, CancellationToken cancellationToken)
    {
        var (taken, session) = await RunAsync("SELECT pg_try_advisory_lock($1, $2)", scope, id, cancellationToken);
        return taken ? new Held(this, gate, scope, id, session) : null;
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

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _session.Dispose();
    }

    /// <summary>
    /// Runs one lock function on the shared session; returns its answer and the session it ran on. The command itself
    /// is never cancelled: a lock taken by a command whose caller gave up would stay held, unknown to anyone.
    /// </summary>
    private async Task<(bool Answer, long Session)> RunAsync(string sql, ClusterLockScope scope, long id, CancellationToken cancellationToken)
    {
        var outage = TimeSpan.Zero;
        var pause = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            await _session.WaitAsync(cancellationToken);
            try
            {
                if (_connection is not { State: System.Data.ConnectionState.Open })
                {
                    if (_connection is not null)
                    {
                        await _connection.DisposeAsync();
                    }

                    _connection = null;
                    var connection = new NpgsqlConnection(sessions.DedicatedConnectionString);
                    await connection.OpenAsync(cancellationToken);
                    _connection = connection;
                    _sessionNumber++;
                }

                await using var command = new NpgsqlCommand(sql, _connection);
                command.Parameters.Add(new NpgsqlParameter { Value = (int)scope });
                command.Parameters.Add(new NpgsqlParameter { Value = Fold(id) });
                return ((bool)(await command.ExecuteScalarAsync(CancellationToken.None))!, _sessionNumber);
            }
            catch (Exception ex) when (ex is NpgsqlException { IsTransient: true } or TimeoutException && outage < OutageBudget)
            {
                // The session is gone, and every lock it held with it; the next call opens another.
                LogSessionLost(logger, ex, pause.TotalMilliseconds);
                if (_connection is not null)
                {
                    await _connection.DisposeAsync();
                    _connection = null;
                }
            }
            finally
            {
                _session.Release();
            }

            await Task.Delay(pause, cancellationToken);
            outage += pause;
            pause = pause * 2 < TimeSpan.FromSeconds(5) ? pause * 2 : TimeSpan.FromSeconds(5);
        }
    }

    private async Task ReleaseAsync(ClusterLockScope scope, long id, long session)
    {
        await _session.WaitAsync();
        try
        {
            // A lock of an earlier session went with it.
            if (session != _sessionNumber || _connection is null)
            {
                return;
            }

            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1, $2)", _connection);
            command.Parameters.Add(new NpgsqlParameter { Value = (int)scope });
            command.Parameters.Add(new NpgsqlParameter { Value = Fold(id) });
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // The session broke: its locks are released with it.
            LogSessionLost(logger, ex, 0);
            await _connection!.DisposeAsync();
            _connection = null;
        }
        finally
        {
            _session.Release();
        }
    }

    [LoggerMessage(EventId = 3040, Level = LogLevel.Warning, Message = "The cluster lock session failed; opening another in {Milliseconds} ms.")]
    private static partial void LogSessionLost(ILogger logger, Exception exception, double milliseconds);

    private sealed class Held(PostgresClusterLocks owner, IDisposable gate, ClusterLockScope scope, long id, long session) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1)
            {
                return;
            }

            try
            {
                await owner.ReleaseAsync(scope, id, session);
            }
            finally
            {
                // Only once the database lock is gone may the next holder here try for it.
                gate.Dispose();
            }
        }
    }
}

/// <summary>
/// <see cref="IClusterLocks"/> on SQLite, where one instance runs: an in-process gate per (scope, id). Locks nest (a
/// webhook delivery's lock, then its server's queue lock) and never wait for another key's holder.
/// </summary>
internal sealed class LocalClusterLocks : IClusterLocks
{
    private readonly KeyedGates<(ClusterLockScope, long)> _gates = new();

    public async ValueTask<IAsyncDisposable> AcquireAsync(ClusterLockScope scope, long id, CancellationToken cancellationToken) =>
        new Release(await _gates.EnterAsync((scope, id), cancellationToken));

    /// <summary>One instance runs on SQLite: nobody else can hold the lock.</summary>
    public async ValueTask<IAsyncDisposable?> TryAcquireAsync(ClusterLockScope scope, long id, CancellationToken cancellationToken) =>
        await AcquireAsync(scope, id, cancellationToken);

    private sealed class Release(IDisposable gate) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            gate.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
