using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Slipway.Infrastructure.Execution;

/// <summary>
/// The one SSH connection Slipway keeps to a server (plus, on first use, an SFTP session next to it). It connects
/// lazily, reconnects when the previous connection dropped, verifies the host key against the recorded
/// fingerprint on every (re)connect, and limits how many commands share it at once.
/// </summary>
public sealed class SshConnection : IDisposable
{
    private readonly SshOptions _options;
    private readonly SemaphoreSlim _connectSlots;
    private readonly HostKeyStore _hostKeys;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Lazy<PrivateKeyFile> _key;
    private SshClient? _ssh;
    private SftpClient? _sftp;
    private int _connectCount;
    private bool _disposed;

    internal SshConnection(SshEndpoint endpoint, SshOptions options, SemaphoreSlim connectSlots, HostKeyStore hostKeys, ILogger logger)
    {
        Endpoint = endpoint;
        Description = endpoint.ToString();
        _options = options;
        _connectSlots = connectSlots;
        _hostKeys = hostKeys;
        _logger = logger;
        _key = new Lazy<PrivateKeyFile>(ReadKey);
        CommandSlots = new SemaphoreSlim(options.MaxCommandsPerConnection, options.MaxCommandsPerConnection);
    }

    public SshEndpoint Endpoint { get; }

    /// <summary>For logs and errors, e.g. <c>root@203.0.113.5:22</c>.</summary>
    public string Description { get; }

    /// <summary>SSH connections opened so far (1 while the first one lives; more after reconnects).</summary>
    public int ConnectCount => Volatile.Read(ref _connectCount);

    internal SemaphoreSlim CommandSlots { get; }

    internal SshOptions Options => _options;

    /// <summary>The live SSH client, connecting first if there is none or the last one dropped.</summary>
    public Task<SshClient> GetSshClientAsync(CancellationToken cancellationToken) =>
        GetAsync(() => _ssh, c => _ssh = c, () => new SshClient(CreateConnectionInfo()), countConnect: true, cancellationToken);

    public Task<SftpClient> GetSftpClientAsync(CancellationToken cancellationToken) =>
        GetAsync(() => _sftp, c => _sftp = c, () => new SftpClient(CreateConnectionInfo()), countConnect: false, cancellationToken);

    /// <summary>Forgets a client that failed, so the next caller gets a fresh connection. Never blocks.</summary>
    public void Invalidate(BaseClient broken)
    {
        // Lock-free, so a caller is never held up behind a connection attempt in progress.
        if (ReferenceEquals(Interlocked.CompareExchange(ref _ssh, null, broken as SshClient), broken)
            || ReferenceEquals(Interlocked.CompareExchange(ref _sftp, null, broken as SftpClient), broken))
        {
            Close(broken);
        }
    }

    private async Task<T> GetAsync<T>(Func<T?> current, Action<T?> store, Func<T> create, bool countConnect, CancellationToken cancellationToken)
        where T : BaseClient
    {
        var existing = current();
        if (IsAlive(existing))
        {
            return existing!;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            existing = current();
            if (IsAlive(existing))
            {
                return existing!;
            }

            if (existing is not null)
            {
                store(null);
                Close(existing);
            }

            var client = create();
            try
            {
                await ConnectAsync(client, cancellationToken);
            }
            catch
            {
                client.Dispose();
                throw;
            }

            store(client);
            if (countConnect)
            {
                Interlocked.Increment(ref _connectCount);
            }

            return client;
        }
        finally
        {
            _lock.Release();
        }
    }

    private static bool IsAlive(BaseClient? client)
    {
        try
        {
            return client is { IsConnected: true };
        }
        catch (ObjectDisposedException)
        {
            return false; // invalidated by another caller a moment ago
        }
    }

    private async Task ConnectAsync(BaseClient client, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var expected = await _hostKeys.LoadAsync(Endpoint.ServerId, cancellationToken);
        string? presented = null;
        client.HostKeyReceived += (_, e) =>
        {
            presented = HostKeyStore.Sha256Prefix + e.FingerPrintSHA256;
            e.CanTrust = expected is null || string.Equals(expected, presented, StringComparison.Ordinal);
        };
        client.KeepAliveInterval = _options.KeepAliveInterval;

        await _connectSlots.WaitAsync(cancellationToken);
        try
        {
            await ConnectWithDnsRetryAsync(client, cancellationToken);
        }
        catch (SshConnectionException) when (expected is not null && presented is not null && presented != expected)
        {
            ExecutionLog.HostKeyChanged(_logger, Description, expected, presented);
            throw new SshHostKeyMismatchException(Endpoint, expected, presented);
        }
        finally
        {
            _connectSlots.Release();
        }

        if (expected is null && presented is not null)
        {
            var stored = await _hostKeys.RecordAsync(Endpoint.ServerId, presented, cancellationToken);
            if (stored is not null && stored != presented)
            {
                // Another connection recorded a different key a moment ago: one of the two is not the server.
                throw new SshHostKeyMismatchException(Endpoint, stored, presented);
            }

            ExecutionLog.HostKeyRecorded(_logger, Description, presented);
        }

        ExecutionLog.SshConnected(_logger, Description, stopwatch.ElapsedMilliseconds, ConnectCount + 1);
    }

    private static async Task ConnectWithDnsRetryAsync(BaseClient client, CancellationToken cancellationToken)
    {
        // Kamal's hardening: a resolver that is briefly unavailable is retried with jitter; nothing else is.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.ConnectAsync(cancellationToken);
                return;
            }
            catch (SocketException error) when (error.SocketErrorCode == SocketError.TryAgain && attempt < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt + Random.Shared.Next(100)), cancellationToken);
            }
        }
    }

    private ConnectionInfo CreateConnectionInfo()
    {
        var info = new ConnectionInfo(Endpoint.Host, Endpoint.Port, Endpoint.User, new PrivateKeyAuthenticationMethod(Endpoint.User, _key.Value))
        {
            Timeout = _options.ConnectTimeout,
        };
        if (_options.KeyExchangeAlgorithms is { } allowed)
        {
            foreach (var name in info.KeyExchangeAlgorithms.Keys.Where(k => !allowed.Contains(k)).ToList())
            {
                info.KeyExchangeAlgorithms.Remove(name);
            }
        }

        return info;
    }

    private PrivateKeyFile ReadKey()
    {
        try
        {
            return new PrivateKeyFile(new MemoryStream(Encoding.UTF8.GetBytes(Endpoint.PrivateKey)));
        }
        catch (Exception error) when (error is SshException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new InvalidOperationException($"The private key of server {Endpoint.ServerName} cannot be read: {error.Message}", error);
        }
    }

    private void Close(BaseClient client)
    {
        try
        {
            client.Dispose();
        }
        catch (Exception error) when (error is SshException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // A client that already failed may fail again while closing.
        }

        ExecutionLog.SshDisconnected(_logger, Description);
    }

    public void Dispose()
    {
        _lock.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_ssh is not null)
            {
                Close(_ssh);
            }

            if (_sftp is not null)
            {
                Close(_sftp);
            }

            _ssh = null;
            _sftp = null;
            if (_key.IsValueCreated)
            {
                _key.Value.Dispose();
            }
        }
        finally
        {
            _lock.Release();
        }
    }
}
