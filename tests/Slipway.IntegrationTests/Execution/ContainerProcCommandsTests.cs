using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Core.Commands;
using Slipway.Core.Engine.Health;
using Slipway.Core.Execution;
using Slipway.Infrastructure.Execution;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Execution;

/// <summary>The fast port-ownership proof against real containers on host networking: the owner is found, a stranger is not.</summary>
public sealed class ContainerProcCommandsTests : IAsyncLifetime
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private readonly LocalCommandRunner _runner = new(NullLogger<LocalCommandRunner>.Instance);
    private readonly string _label = $"slipway.test.proc={Guid.NewGuid():N}";

    public async ValueTask InitializeAsync() => await Docker.RequireAsync();

    public async ValueTask DisposeAsync()
    {
        var (_, ids) = await Docker.RunAsync("ps", "-aq", "--filter", $"label={_label}");
        foreach (var id in ids.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await Docker.RunAsync("rm", "-f", id.Trim());
        }
    }

    [Fact]
    public async Task Sockets_OfTheContainerListening_HoldTheListeningSocket_AndAnotherContainersDoNot()
    {
        var port = SlipwayBinary.FreeLoopbackPort();
        var owner = await StartHttpdAsync(port);
        var stranger = await StartHttpdAsync(SlipwayBinary.FreeLoopbackPort());

        var tables = await _runner.RunAsync(ContainerProcCommands.ListeningSockets(owner, port), cancellationToken: Token);
        var listening = PortOwnership.ListeningInodes(tables.StandardOutput, port);
        var ownerSockets = await _runner.RunAsync(ContainerProcCommands.Sockets(owner), throwOnFailure: false, cancellationToken: Token);
        var strangerSockets = await _runner.RunAsync(ContainerProcCommands.Sockets(stranger), throwOnFailure: false, cancellationToken: Token);

        Assert.Equal(listening.Count, tables.StandardOutput.Count); // only the listening sockets on the port
        Assert.NotEmpty(listening);
        Assert.True(PortOwnership.HoldsAny(ownerSockets.StandardOutput, listening), string.Join('\n', ownerSockets.StandardOutput));
        Assert.False(PortOwnership.HoldsAny(strangerSockets.StandardOutput, listening), string.Join('\n', strangerSockets.StandardOutput));
    }

    /// <summary>Starts busybox httpd on host networking behind <c>--init</c>, as Slipway runs containers, and returns the init's PID.</summary>
    private async Task<int> StartHttpdAsync(int port)
    {
        var (code, output) = await Docker.RunAsync("run", "-d", "--init", "--network", "host", "--label", _label,
            Docker.TestImage, "httpd", "-f", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-h", "/");
        Assert.True(code == 0, output);
        var id = output.Trim();
        Assert.True(await Poll.UntilAsync(() => ListensAsync(port), TimeSpan.FromSeconds(20), Token), $"httpd did not listen on {port}.");
        var (_, pid) = await Docker.RunAsync("inspect", "--format", "{{.State.Pid}}", id);
        return int.Parse(pid.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<bool> ListensAsync(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, Token);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
