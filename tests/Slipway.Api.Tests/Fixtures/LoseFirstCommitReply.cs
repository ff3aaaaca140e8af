using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Slipway.Api.Tests.Fixtures;

/// <summary>
/// Fails the first commit once it has happened, with the transient error a connection dropped before the commit's
/// reply came raises (PostgreSQL restarting, the network cut at that moment): the execution strategy retries work
/// that has in fact landed.
/// </summary>
internal sealed class LoseFirstCommitReply : DbTransactionInterceptor
{
    private int _failed;

    public bool Failed => Volatile.Read(ref _failed) == 1;

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Interlocked.Exchange(ref _failed, 1) == 0
            ? throw new NpgsqlException("The connection dropped before the commit's reply arrived (simulated).", new IOException("connection reset"))
            : Task.CompletedTask;
}
