using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// Puts <see cref="DeferredAnnouncements.LeadingStatement"/> in front of a statement EF sends inside
/// <see cref="DeferredAnnouncements.Defer"/>: sent in the same round trip, it runs in the statement's transaction (an
/// explicit one, or the implicit one a batch runs in), so the triggers leave the write for
/// <see cref="DeferredAnnouncements"/> to announce. Its <c>SELECT</c> adds nothing to the rows-affected count.
/// </summary>
internal sealed class LeadingStatementInterceptor(DeferredAnnouncements announcements) : DbCommandInterceptor
{
    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Lead(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Lead(command);
        return ValueTask.FromResult(result);
    }

    private void Lead(DbCommand command)
    {
        if (announcements.Deferring)
        {
            command.CommandText = DeferredAnnouncements.LeadingStatement + "\n" + command.CommandText;
        }
    }
}
