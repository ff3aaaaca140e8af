using Slipway.Core.Servers;

namespace Slipway.Infrastructure.Engine;

/// <summary>Opens a local port forwarded to an address as seen from a remote server (an SSH tunnel).</summary>
public interface ITunnelOpener
{
    Task<ITunnel> OpenAsync(Server server, string remoteAddress, int remotePort, CancellationToken cancellationToken);
}
