using Slipway.Core.Servers;

namespace Slipway.Core.Proxy;

/// <summary>The database as the proxy sees it.</summary>
public interface IProxyStore
{
    /// <summary>The server (with its proxy settings) and its applications with their previews, read fresh; null when the server is gone.</summary>
    Task<ProxyState?> LoadAsync(long serverId, CancellationToken cancellationToken);

    /// <summary>Raises the server's config generation by one and returns the new value (each reconcile gets its own).</summary>
    Task<long> NextGenerationAsync(long serverId, CancellationToken cancellationToken);

    /// <summary>The servers whose proxy is on.</summary>
    Task<IReadOnlyList<long>> ProxiedServersAsync(CancellationToken cancellationToken);
}

public sealed record ProxyState(Server Server, IReadOnlyList<RoutedApplication> Applications)
{
    public ProxyPlan Plan() => ProxyPlanner.Plan(Server.Proxy, Applications);
}
