using Slipway.Core.Servers;

namespace Slipway.Core.Proxy;

/// <summary>
/// Caddy's admin API on a server's 127.0.0.1: directly for this machine, through the server's SSH connection (with
/// the server-side address as Host, which Caddy checks) for the others.
/// </summary>
public interface ICaddyAdmin
{
    /// <summary>The running config and its ETag; null when nothing answers on the admin port.</summary>
    Task<CaddyConfigSnapshot?> GetConfigAsync(Server server, int adminPort, CancellationToken cancellationToken);

    /// <summary>Replaces the whole config if it is still the one with <paramref name="etag"/>; false when another change came first (412).</summary>
    Task<bool> ReplaceConfigAsync(Server server, int adminPort, string config, string etag, CancellationToken cancellationToken);

    /// <summary>Caddy's <c>/reverse_proxy/upstreams</c>: each upstream address it knows with its requests in flight; null when nothing answers.</summary>
    Task<IReadOnlyDictionary<string, int>?> UpstreamRequestsAsync(Server server, int adminPort, CancellationToken cancellationToken);
}

/// <summary>A config as Caddy returned it, with the ETag that a conditional replace names.</summary>
public sealed record CaddyConfigSnapshot(string Json, string ETag);
