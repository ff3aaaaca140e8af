using Microsoft.EntityFrameworkCore;
using Slipway.Core.Proxy;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Proxy;

/// <summary>Reads what a server's proxy routes: the server, its applications and the previews that run on it.</summary>
internal sealed class EfProxyStore(IDbContextFactory<SlipwayDbContext> contexts) : IProxyStore
{
    public async Task<ProxyState?> LoadAsync(long serverId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var server = await db.Servers.AsNoTracking().FirstOrDefaultAsync(s => s.Id == serverId, cancellationToken);
        if (server is null)
        {
            return null;
        }

        var applications = await db.Applications.AsNoTracking().Where(a => a.ServerId == serverId).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var previews = await db.ApplicationPreviews.AsNoTracking().Where(p => p.ServerId == serverId).ToListAsync(cancellationToken);
        var byApplication = previews.ToLookup(p => p.ApplicationId);
        return new ProxyState(server, applications.Select(a => new RoutedApplication(a, byApplication[a.Id].ToList())).ToList());
    }

    public async Task<long> NextGenerationAsync(long serverId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // One statement, so two reconciles (even in two processes) never get the same generation.
        var values = await db.Database
            .SqlQuery<long>($"UPDATE servers SET proxy_config_generation = proxy_config_generation + 1 WHERE id = {serverId} RETURNING proxy_config_generation AS \"Value\"")
            .ToListAsync(cancellationToken);
        return values.Count == 1 ? values[0] : throw new ProxyException("The server no longer exists.");
    }

    public async Task<IReadOnlyList<long>> ProxiedServersAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Servers.AsNoTracking().Where(s => s.Proxy.Type == ProxyTypes.Caddy).Select(s => s.Id).ToListAsync(cancellationToken);
    }
}
