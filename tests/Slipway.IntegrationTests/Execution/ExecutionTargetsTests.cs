using Slipway.Core.Common;
using Slipway.Core.Servers;
using Slipway.Core.Teams;
using Slipway.Infrastructure.Execution;
using Slipway.IntegrationTests.Fixtures;

namespace Slipway.IntegrationTests.Execution;

public sealed class ExecutionTargetsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAsync_Localhost_IsTheLocalTarget()
    {
        await using var host = await SlipwayTestHost.StartAsync();

        var target = await host.Targets.GetAsync(await host.LocalhostAsync(), Token);

        Assert.IsType<LocalExecutionTarget>(target);
        Assert.Equal(Path.Combine(host.DataDir, "work"), target.WorkRoot);
    }

    [Fact]
    public async Task GetAsync_RemoteServerWithoutKey_ThrowsAClearError()
    {
        await using var host = await SlipwayTestHost.StartAsync();
        var server = new Server { Uuid = PublicId.New(), TeamId = Team.RootId, Name = "keyless", Ip = "127.0.0.1" };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Targets.GetAsync(server, Token));

        Assert.Equal("Server keyless has no private key: it cannot be reached over SSH.", error.Message);
    }

    [Fact]
    public async Task GetAsync_RemoteServer_IsAnSshTargetOnThePooledConnection()
    {
        await using var ssh = await SshFixture.StartAsync();

        var again = await ssh.Host.Targets.GetAsync(ssh.Server, Token);

        Assert.IsType<SshExecutionTarget>(again);
        Assert.Same(ssh.Connection, ((SshCommandRunner)again.Runner).Connection);
    }
}
