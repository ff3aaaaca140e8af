using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Core.Execution;
using Slipway.Infrastructure.Execution;
using Slipway.IntegrationTests.Fixtures;

namespace Slipway.IntegrationTests.Execution;

/// <summary>Connection reuse, reconnection and host key checking, each test on a fresh pool and database.</summary>
public sealed class SshConnectionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>The sshd process serving the command's connection (its parent): one per connection.</summary>
    private static readonly CommandSpec WhichConnection = CommandSpec.Of("sh", "-c", "echo $PPID");

    [Fact]
    public async Task Runner_FiftyCommands_UseOneConnection()
    {
        await using var ssh = await SshFixture.StartAsync();
        var stopwatch = Stopwatch.StartNew();
        var first = (await ssh.Runner.RunAsync(WhichConnection, cancellationToken: Token)).Output;
        var firstMs = stopwatch.Elapsed.TotalMilliseconds;

        stopwatch.Restart();
        var clients = new HashSet<string> { first };
        for (var i = 0; i < 50; i++)
        {
            clients.Add((await ssh.Runner.RunAsync(WhichConnection, cancellationToken: Token)).Output);
        }

        var perCommandMs = stopwatch.Elapsed.TotalMilliseconds / 50;

        // For comparison: a bare exec on the same connection, without the runner's wrapper script and streaming.
        var client = await ssh.Connection.GetSshClientAsync(Token);
        stopwatch.Restart();
        for (var i = 0; i < 50; i++)
        {
            using var bare = client.CreateCommand("true");
            await bare.ExecuteAsync(Token);
        }

        var bareMs = stopwatch.Elapsed.TotalMilliseconds / 50;
        Report($"first command (connect included): {firstMs:F1} ms; then {perCommandMs:F2} ms per command over 50 on the reused connection (bare SSH.NET exec of `true`: {bareMs:F2} ms)");
        Assert.Single(clients);
        Assert.Equal(1, ssh.Connection.ConnectCount);
    }

    [Theory]
    [InlineData("library default (post-quantum hybrid first)", null)]
    [InlineData("curve25519-sha256 only", "curve25519-sha256")]
    public async Task Connection_WarmConnectTime_IsMeasured(string label, string? keyExchange)
    {
        var options = new SshOptions { KeyExchangeAlgorithms = keyExchange is null ? null : [keyExchange] };
        await using var ssh = await SshFixture.StartAsync(options);
        await ssh.Runner.RunAsync(CommandSpec.Of("true"), cancellationToken: Token);
        var timings = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            ssh.Connection.Invalidate(await ssh.Connection.GetSshClientAsync(Token));
            var stopwatch = Stopwatch.StartNew();
            var client = await ssh.Connection.GetSshClientAsync(Token);
            timings.Add(stopwatch.Elapsed.TotalMilliseconds);
            Assert.True(keyExchange is null || client.ConnectionInfo.CurrentKeyExchangeAlgorithm == keyExchange);
        }

        var negotiated = (await ssh.Connection.GetSshClientAsync(Token)).ConnectionInfo.CurrentKeyExchangeAlgorithm;
        Report($"warm connect, {label} ({negotiated}): {string.Join(", ", timings.Select(t => $"{t:F0}"))} ms");
        Assert.Equal(6, ssh.Connection.ConnectCount);
    }

    [Fact]
    public async Task Runner_ServerDropsTheConnection_NextCommandReconnects()
    {
        await using var ssh = await SshFixture.StartAsync();
        var before = (await ssh.Runner.RunAsync(WhichConnection, cancellationToken: Token)).Output;
        // The command's parent is the sshd process serving this connection; killing it drops the connection server-side.
        var sshdPid = int.Parse((await ssh.Runner.RunAsync(CommandSpec.Of("sh", "-c", "echo $PPID"), cancellationToken: Token)).Output);
        Assert.StartsWith("sshd", File.ReadAllText($"/proc/{sshdPid}/cmdline"), StringComparison.Ordinal);

        try
        {
            await ssh.Runner.RunAsync(CommandSpec.Of("kill", "-TERM", sshdPid.ToString()), throwOnFailure: false, cancellationToken: Token);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The connection may die under the kill command itself.
        }

        Assert.True(await Poll.UntilAsync(() => LocalProcesses.IsGone(sshdPid), TimeSpan.FromSeconds(5), Token));
        var after = (await ssh.Runner.RunAsync(WhichConnection, cancellationToken: Token)).Output;

        Assert.NotEqual(before, after);
        Assert.Equal(2, ssh.Connection.ConnectCount);
    }

    [Fact]
    public async Task Runner_ClientDisconnectedBehindThePoolsBack_NextCommandReconnects()
    {
        await using var ssh = await SshFixture.StartAsync();
        await ssh.Runner.RunAsync(CommandSpec.Of("true"), cancellationToken: Token);
        (await ssh.Connection.GetSshClientAsync(Token)).Disconnect();

        var result = await ssh.Runner.RunAsync(CommandSpec.Of("echo", "back"), cancellationToken: Token);

        Assert.Equal("back", result.Output);
        Assert.Equal(2, ssh.Connection.ConnectCount);
    }

    [Fact]
    public async Task Pool_Disposed_ClosesTheConnection()
    {
        var ssh = await SshFixture.StartAsync();
        var sshdPid = int.Parse((await ssh.Runner.RunAsync(CommandSpec.Of("sh", "-c", "echo $PPID"), cancellationToken: Token)).Output);

        await ssh.DisposeAsync();

        Assert.True(await Poll.UntilAsync(() => LocalProcesses.IsGone(sshdPid), TimeSpan.FromSeconds(5), Token));
    }

    [Fact]
    public async Task Pool_ServerSettingsChange_GetsANewConnectionAndClosesTheOld()
    {
        await using var host = await SlipwayTestHost.StartAsync();
        var endpoint = new SshEndpoint(42, "web-1", "127.0.0.1", 22, "root", "key");

        var first = host.Pool.Get(endpoint);
        var same = host.Pool.Get(endpoint with { });
        var moved = host.Pool.Get(endpoint with { Port = 2200 });

        Assert.Same(first, same);
        Assert.NotSame(first, moved);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => first.GetSshClientAsync(Token));
        Assert.Equal("root@127.0.0.1:2200", moved.Description);
    }

    [Fact]
    public async Task HostKey_FirstConnection_RecordsTheFingerprintOpenSshPrints()
    {
        await using var ssh = await SshFixture.StartAsync();
        Assert.Null(ssh.Server.HostKeyFingerprint);

        await ssh.Runner.RunAsync(CommandSpec.Of("true"), cancellationToken: Token);

        var recorded = (await ssh.Host.ReloadAsync(ssh.Server)).HostKeyFingerprint;
        Assert.Contains(recorded, await OpenSshFingerprintsAsync(ssh.Ssh));
    }

    [Fact]
    public async Task HostKey_DifferentFromRecorded_IsRefused()
    {
        var ssh = SshTestServer.FromEnvironment();
        await using var host = await SlipwayTestHost.StartAsync();
        var expected = "SHA256:" + Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray()).TrimEnd('=');
        var server = await host.AddSshServerAsync(ssh, hostKeyFingerprint: expected);
        var target = await host.Targets.GetAsync(server, Token);

        var error = await Assert.ThrowsAsync<SshHostKeyMismatchException>(() => target.Runner.RunAsync(CommandSpec.Of("true"), cancellationToken: Token));

        var actual = Assert.Single(await OpenSshFingerprintsAsync(ssh), f => f == error.Actual);
        Assert.Equal($"host key for {server.Name} ({ssh.User}@{ssh.Host}:{ssh.Port}) changed: expected {expected}, got {actual}", error.Message);
        Assert.Equal(expected, (await host.ReloadAsync(server)).HostKeyFingerprint);
    }

    [Fact]
    public async Task HostKey_ChangedWhileConnected_IsRefusedOnReconnect()
    {
        await using var ssh = await SshFixture.StartAsync();
        await ssh.Runner.RunAsync(CommandSpec.Of("true"), cancellationToken: Token);
        await ssh.Host.SetHostKeyFingerprintAsync(ssh.Server, "SHA256:someone-else");

        ssh.Connection.Invalidate(await ssh.Connection.GetSshClientAsync(Token));

        var error = await Assert.ThrowsAsync<SshHostKeyMismatchException>(() => ssh.Runner.RunAsync(CommandSpec.Of("true"), cancellationToken: Token));
        Assert.StartsWith($"host key for {ssh.Server.Name} (", error.Message, StringComparison.Ordinal);
        Assert.Contains("changed: expected SHA256:someone-else, got SHA256:", error.Message, StringComparison.Ordinal);
    }

    /// <summary>What OpenSSH's own tools say the server's host keys are: <c>ssh-keyscan | ssh-keygen -lf -</c>.</summary>
    private static async Task<IReadOnlyList<string>> OpenSshFingerprintsAsync(SshTestServer ssh)
    {
        var local = new LocalCommandRunner(NullLogger<LocalCommandRunner>.Instance);
        var keys = await local.RunAsync(CommandSpec.Of("ssh-keyscan", "-p", ssh.Port.ToString(), ssh.Host), cancellationToken: Token);
        var fingerprints = await local.RunAsync(CommandSpec.Of("ssh-keygen", "-lf", "-") with { StandardInput = keys.Output + "\n" }, cancellationToken: Token);
        return fingerprints.StandardOutput.Select(line => line.Split(' ')[1]).ToList();
    }

    private static void Report(string message)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(message);
        TestContext.Current.SendDiagnosticMessage(message);
    }
}
