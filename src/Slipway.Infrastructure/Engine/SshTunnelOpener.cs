using Renci.SshNet;
using Slipway.Core.Servers;
using Slipway.Infrastructure.Execution;

namespace Slipway.Infrastructure.Engine;

/// <summary>
/// Opens a local port forwarded, over the server's pooled SSH connection, to an address as the server sees it
/// (a container IP, or 127.0.0.1 for host networking) — so health checks of remote containers need nothing
/// installed on the server.
/// </summary>
internal sealed class SshTunnelOpener(ExecutionTargets targets) : ITunnelOpener
{
    public async Task<ITunnel> OpenAsync(Server server, string remoteAddress, int remotePort, CancellationToken cancellationToken)
    {
        var connection = await targets.ConnectionAsync(server, cancellationToken);
        var client = await connection.GetSshClientAsync(cancellationToken);
        var forward = new ForwardedPortLocal("127.0.0.1", 0, remoteAddress, (uint)remotePort);
        client.AddForwardedPort(forward);
        try
        {
            forward.Start();
        }
        catch
        {
            client.RemoveForwardedPort(forward);
            forward.Dispose();
            throw;
        }

        return new Tunnel(client, forward);
    }

    private sealed class Tunnel(SshClient client, ForwardedPortLocal forward) : ITunnel
    {
        public int LocalPort => (int)forward.BoundPort;

        public ValueTask DisposeAsync()
        {
            try
            {
                forward.Stop();
                client.RemoveForwardedPort(forward);
            }
            catch (ObjectDisposedException)
            {
                // The connection was replaced meanwhile; the forward went with it.
            }

            forward.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
