using Slipway.Core.Execution;
using Slipway.Core.Servers;
using Slipway.Infrastructure.Execution;

namespace Slipway.IntegrationTests.Fixtures;

/// <summary>A test host with one server row for the real sshd, and its execution target. Fails when sshd is not configured.</summary>
internal sealed class SshFixture : IAsyncDisposable
{
    private SshFixture(SlipwayTestHost host, SshTestServer ssh, Server server, IExecutionTarget target)
    {
        Host = host;
        Ssh = ssh;
        Server = server;
        Target = target;
    }

    public SlipwayTestHost Host { get; }
    public SshTestServer Ssh { get; }
    public Server Server { get; }
    public IExecutionTarget Target { get; }
    public ICommandRunner Runner => Target.Runner;

    public SshConnection Connection => ((SshCommandRunner)Runner).Connection;

    public static async Task<SshFixture> StartAsync(SshOptions? options = null)
    {
        var ssh = SshTestServer.FromEnvironment();
        var host = await SlipwayTestHost.StartAsync(options ?? new SshOptions { KillGrace = TimeSpan.FromSeconds(1) });
        var server = await host.AddSshServerAsync(ssh);
        var target = await host.Targets.GetAsync(server, TestContext.Current.CancellationToken);
        return new SshFixture(host, ssh, server, target);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
