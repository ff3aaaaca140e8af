using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// Tells <see cref="CacheInvalidation"/> when this process writes deployment rows, tokens or teams (on PostgreSQL, where
/// the other instances learn it from the triggers' notifications and this one skips its own): the moment the statement
/// returns, so a read right after a write never gets a cached row, and again when its transaction commits, so a read
/// made in between, which still saw the old row, is not kept either.
/// </summary>
internal sealed class LocalWriteInterceptor(CacheInvalidation caches) : IDbCommandInterceptor, IDbTransactionInterceptor
{
    private const string Deployments = "application_deployment_queues";
    private static readonly string[] TokenTables = ["\"personal_access_tokens\"", "\"teams\""];

    private readonly ConditionalWeakTable<DbTransaction, Box> _written = new();

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Seen(command);
        return result;
    }

    public ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    public DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Seen(command);
        return result;
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(transaction);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

    private void Seen(DbCommand command)
    {
        var written = Written(command.CommandText);
        if (written == Tables.None)
        {
            return;
        }

        Announce(written);
        if (command.Transaction is { } transaction)
        {
            var box = _written.GetOrCreateValue(transaction);
            lock (box)
            {
                box.Tables |= written;
            }
        }
    }

    private void Committed(DbTransaction transaction)
    {
        if (_written.TryGetValue(transaction, out var box))
        {
            _written.Remove(transaction);
            Announce(box.Tables);
        }
    }

    private void Announce(Tables written)
    {
        if (written.HasFlag(Tables.Deployments))
        {
            caches.DeploymentsWritten();
        }

        if (written.HasFlag(Tables.Tokens))
        {
            caches.TokensChanged();
        }
    }

    private static Tables Written(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        if (text.StartsWith(DeferredAnnouncements.LeadingStatement, StringComparison.Ordinal))
        {
            // A write whose announcement is deferred: what follows its own SELECT is the write.
            text = text[DeferredAnnouncements.LeadingStatement.Length..].TrimStart();
        }

        if (text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
        {
            return Tables.None;
        }

        var written = text.Contains(Deployments, StringComparison.Ordinal) ? Tables.Deployments : Tables.None;
        foreach (var table in TokenTables)
        {
            if (text.Contains(table, StringComparison.Ordinal))
            {
                written |= Tables.Tokens;
            }
        }

        return written;
    }

    [Flags]
    private enum Tables
    {
        None = 0,
        Deployments = 1,
        Tokens = 2,
    }

    private sealed class Box
    {
        public Tables Tables { get; set; }
    }
}
