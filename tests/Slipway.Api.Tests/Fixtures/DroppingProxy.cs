using System.Net;
using System.Net.Sockets;

namespace Slipway.Api.Tests.Fixtures;

/// <summary>
/// A loopback TCP proxy to a local port that cuts its first connection after the server sent a number of bytes,
/// as a flaky network does mid-stream; later connections pass untouched.
/// </summary>
public sealed class DroppingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly long _cutFirstAfterBytes;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    private DroppingProxy(int target, long cutFirstAfterBytes)
    {
        _target = target;
        _cutFirstAfterBytes = cutFirstAfterBytes;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Connections => Volatile.Read(ref _connections);

    public static DroppingProxy Start(int targetPort, long cutFirstAfterBytes) => new(targetPort, cutFirstAfterBytes);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var number = Interlocked.Increment(ref _connections);
            _ = PipeAsync(client, number == 1 ? _cutFirstAfterBytes : long.MaxValue);
        }
    }

    private async Task PipeAsync(TcpClient client, long limit)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                using var cut = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = client.GetStream().CopyToAsync(server.GetStream(), cut.Token);
                var down = CopyAsync(server.GetStream(), client.GetStream(), limit, cut.Token);
                await Task.WhenAny(up, down);
                await cut.CancelAsync();
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
            }
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        long sent = 0;
        while (sent < limit)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - sent)), cancellationToken);
            if (read == 0)
            {
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            sent += read;
        }
    }
}
