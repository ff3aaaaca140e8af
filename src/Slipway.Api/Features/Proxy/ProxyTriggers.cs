using Microsoft.EntityFrameworkCore;
using Slipway.Core.Proxy;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Proxy;

/// <summary>After a change that affects routing (domains, routing fields, an application or preview added, moved or removed).</summary>
internal static class ProxyTriggers
{
    /// <summary>Queues a reconcile of each of the servers whose proxy is on; servers without a proxy are not touched at all.</summary>
    public static async Task RoutingChangedAsync(SlipwayDbContext db, IProxyService proxies, IEnumerable<long> serverIds, CancellationToken cancellationToken)
    {
        var ids = serverIds.Distinct().ToList();
        var enabled = await db.Servers.AsNoTracking()
            .Where(s => ids.Contains(s.Id) && s.Proxy.Type == ProxyTypes.Caddy)
            .Select(s => s.Id)
            .ToListAsync(cancellationToken);
        foreach (var id in enabled)
        {
            proxies.RequestReconcile(id);
        }
    }
}
