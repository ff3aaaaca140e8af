using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Execution;
using Slipway.Core.Servers;
using Slipway.Infrastructure.Execution;
using Slipway.Infrastructure.Servers;
using Slipway.IntegrationTests.Fixtures;

namespace Slipway.IntegrationTests.Servers;

/// <summary>Server validation against this machine, the real sshd (and the real Docker engine behind both), and scripted failures.</summary>
public sealed class ServerValidatorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ValidateAsync_Localhost_IsReachableAndUsableAndStored()
    {
        await using var host = await SlipwayTestHost.StartAsync();
        var server = await host.LocalhostAsync();

        var result = await host.Validator.ValidateAsync(server, Token);
        TestContext.Current.TestOutputHelper?.WriteLine(result.Log);

        Assert.True(result.IsReachable);
        Assert.True(result.IsUsable, result.Log);
        Assert.Matches(@"^Connected to localhost\.\nDocker Engine \d+\.\d+\.\d+\S* is running\.$", result.Log);
        await AssertStoredAsync(host, server, result.IsReachable, result.IsUsable, result.Log);
    }

    [Fact]
    public async Task ValidateAsync_SshServer_IsReachableAndUsable()
    {
        var ssh = SshTestServer.FromEnvironment();
        await using var host = await SlipwayTestHost.StartAsync();
        var server = await host.AddSshServerAsync(ssh);

        var result = await host.Validator.ValidateAsync(server, Token);
        TestContext.Current.TestOutputHelper?.WriteLine(result.Log);

        Assert.True(result.IsUsable, result.Log);
        Assert.StartsWith($"Connected to {ssh.User}@{ssh.Host}:{ssh.Port}.\nDocker Engine ", result.Log, StringComparison.Ordinal);
        await AssertStoredAsync(host, server, true, true, result.Log);
    }

    [Fact]
    public async Task ValidateAsync_NothingListensOnThePort_IsUnreachable()
    {
        var ssh = SshTestServer.FromEnvironment();
        await using var host = await SlipwayTestHost.StartAsync();
        var server = await host.AddSshServerAsync(ssh, port: UnusedPort());

        var result = await host.Validator.ValidateAsync(server, Token);
        TestContext.Current.TestOutputHelper?.WriteLine(result.Log);

        Assert.False(result.IsReachable);
        Assert.False(result.IsUsable);
        Assert.Equal(ServerValidator.UnreachableMessage($"{ssh.User}@127.0.0.1:{server.Port}"), result.Log);
        await AssertStoredAsync(host, server, false, false, result.Log);
    }

    /// <summary>
    /// Validation must not become a port scanner: a closed port, a port that answers with another protocol and one
    /// that accepts and then says nothing all get the same words, never the socket's own error.
    /// </summary>
    [Fact]
    public async Task ValidateAsync_ClosedPortOtherProtocolOrSilence_AnswerTheSameWords()
    {
        var ssh = SshTestServer.FromEnvironment();
        // The silent port is given up on after the SSH connect timeout; a short one keeps the test quick.
        await using var host = await SlipwayTestHost.StartAsync(new SshOptions { ConnectTimeout = TimeSpan.FromSeconds(2) });
        using var http = new TcpListener(IPAddress.Loopback, 0);
        http.Start();
        var answering = AnswerEveryConnectionAsync(http, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var listening = AnswerEveryConnectionAsync(silent, null);

        var logs = new List<string>();
        foreach (var port in new[] { UnusedPort(), ((IPEndPoint)http.LocalEndpoint).Port, ((IPEndPoint)silent.LocalEndpoint).Port })
        {
            var server = await host.AddSshServerAsync(ssh, port: port);
            var result = await host.Validator.ValidateAsync(server, Token);
            Assert.False(result.IsReachable);
            logs.Add(result.Log!.Replace($":{port}:", ":PORT:", StringComparison.Ordinal));
        }

        http.Stop();
        silent.Stop();
        await Task.WhenAll(answering, listening);
        Assert.All(logs, log => Assert.Equal(ServerValidator.UnreachableMessage($"{ssh.User}@127.0.0.1:PORT"), log));
    }

    [Fact]
    public async Task ValidateAsync_KeyNotAuthorized_ReportsAuthenticationFailure()
    {
        var ssh = SshTestServer.FromEnvironment();
        await using var host = await SlipwayTestHost.StartAsync();
        var server = await host.AddSshServerAsync(ssh, privateKey: SlipwayTestHost.UnknownPrivateKey());

        var result = await host.Validator.ValidateAsync(server, Token);
        TestContext.Current.TestOutputHelper?.WriteLine(result.Log);

        Assert.False(result.IsReachable);
        Assert.StartsWith($"SSH authentication failed for {ssh.User}@{ssh.Host}:{ssh.Port}: ", result.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_ServerWithoutKey_SaysSo()
    {
        await using var host = await SlipwayTestHost.StartAsync();
        var server = await host.AddSshServerAsync(SshTestServer.FromEnvironment());
        server.PrivateKeyId = null;

        var result = await host.Validator.ValidateAsync(server, Token);
        TestContext.Current.TestOutputHelper?.WriteLine(result.Log);

        Assert.False(result.IsReachable);
        Assert.Equal($"Server {server.Name} has no private key: it cannot be reached over SSH.", result.Log);
    }

    [Fact]
    public async Task ValidateAsync_DockerMissing_IsReachableButNotUsable()
    {
        var script = new ScriptedTarget(command => throw new CommandNotFoundException(command, "root@203.0.113.5:22"));
        await using var host = await SlipwayTestHost.StartAsync(configure: s => s.AddSingleton<IExecutionTargets>(script));

        var result = await host.Validator.ValidateAsync(await host.LocalhostAsync(), Token);

        Assert.True(result.IsReachable);
        Assert.False(result.IsUsable);
        Assert.Equal("Connected to localhost.\ndocker: command not found. Install Docker Engine on the server.", result.Log);
        Assert.Equal(["docker version --format '{{.Server.Version}}'"], script.Commands.Select(c => c.ToDisplayString()));
    }

    [Fact]
    public async Task ValidateAsync_DockerDaemonDown_IsReachableButNotUsable()
    {
        const string Refusal = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?";
        var script = new ScriptedTarget(_ => (1, [new OutputLine(OutputStream.StandardError, Refusal)]));
        await using var host = await SlipwayTestHost.StartAsync(configure: s => s.AddSingleton<IExecutionTargets>(script));

        var result = await host.Validator.ValidateAsync(await host.LocalhostAsync(), Token);

        Assert.True(result.IsReachable);
        Assert.False(result.IsUsable);
        Assert.Equal($"Connected to localhost.\nCannot connect to the Docker daemon: is dockerd running?\n{Refusal}", result.Log);
    }

    private static async Task AssertStoredAsync(SlipwayTestHost host, Server server, bool reachable, bool usable, string log)
    {
        var stored = await host.ReloadAsync(server);
        Assert.Equal((reachable, usable, log), (stored.IsReachable, stored.IsUsable, stored.ValidationLogs));
    }

    /// <summary>Accepts connections until the listener stops; writes <paramref name="answer"/> and closes, or holds each open silently.</summary>
    private static async Task AnswerEveryConnectionAsync(TcpListener listener, string? answer)
    {
        var held = new List<TcpClient>();
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(Token);
                if (answer is null)
                {
                    held.Add(client);
                    continue;
                }

                using (client)
                {
                    await client.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(answer), Token);
                }
            }
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The listener stopped.
        }
        finally
        {
            held.ForEach(c => c.Dispose());
        }
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A target whose runner answers every command from a script, to reach failures a healthy machine cannot show.</summary>
    private sealed class ScriptedTarget(Func<CommandSpec, (int ExitCode, OutputLine[] Lines)> answer) : IExecutionTargets, IExecutionTarget, ICommandRunner
    {
        public List<CommandSpec> Commands { get; } = [];
        public string Description => "scripted";
        public ICommandRunner Runner => this;
        public string WorkRoot => "/work";

        public Task<IExecutionTarget> GetAsync(Server server, CancellationToken cancellationToken) => Task.FromResult<IExecutionTarget>(this);

        public async IAsyncEnumerable<CommandEvent> StreamAsync(CommandSpec command, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Commands.Add(command);
            var (exitCode, lines) = answer(command);
            yield return new CommandStarted(1);
            foreach (var line in lines)
            {
                yield return line;
            }

            await Task.Yield();
            yield return new CommandExited(exitCode);
        }

        public Task WritePrivateFileAsync(string path, string content, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task CreateDirectoryAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task DeleteDirectoryAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
