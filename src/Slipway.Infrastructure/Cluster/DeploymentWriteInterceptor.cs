using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// Tells <see cref="CacheInvalidation"/> the moment this process writes deployment rows (on PostgreSQL, where the
/// other instances learn it from the trigger's notification), so a read right after a write never gets a cached row.
/// </summary>
internal sealed class DeploymentWriteInterceptor(CacheInvalidation caches) : DbCommandInterceptor
{
    private const string Table = "application_deployment_queues";

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Seen(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    private void Seen(DbCommand command)
    {
        var text = command.CommandText.AsSpan().TrimStart();
        if (!text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) && text.Contains(Table, StringComparison.Ordinal))
        {
            caches.DeploymentsWritten();
        }
    }
}
