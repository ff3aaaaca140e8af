using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Slipway.Core.Proxy;

/// <summary>Background reconciles: one runner per server, folding requests that arrive meanwhile into one more run.</summary>
public sealed partial class ProxyService : IHostedService, IDisposable
{
    private readonly Lock _queueGate = new();
    private readonly Dictionary<long, QueueEntry> _queued = [];
    private readonly HashSet<Task> _runners = [];
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    public void RequestReconcile(long serverId, bool restart = false)
    {
        lock (_queueGate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            if (_queued.TryGetValue(serverId, out var entry))
            {
                // A runner is active for this server: it runs once more after its current run.
                entry.Pending = true;
                entry.Restart |= restart;
                return;
            }

            _queued[serverId] = new QueueEntry { Pending = true, Restart = restart };
            var runner = Task.Run(() => RunQueueAsync(serverId), CancellationToken.None);
            _runners.Add(runner);
            _ = runner.ContinueWith(
                t =>
                {
                    lock (_queueGate)
                    {
                        _runners.Remove(t);
                    }
                },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task RunQueueAsync(long serverId)
    {
        while (true)
        {
            bool restart;
            lock (_queueGate)
            {
                var entry = _queued[serverId];
                if (!entry.Pending || _stopping.IsCancellationRequested)
                {
                    _queued.Remove(serverId);
                    return;
                }

                restart = entry.Restart;
                entry.Pending = false;
                entry.Restart = false;
            }

            try
            {
                await (restart ? RestartAsync(serverId, _stopping.Token) : ReconcileAsync(serverId, _stopping.Token));
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
        }
    }

    private sealed class QueueEntry
    {
        public bool Pending { get; set; }
        public bool Restart { get; set; }
    }

    /// <summary>Reconciles every server whose proxy is on, in the background: Slipway's start must not wait for remote servers.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                foreach (var serverId in await store.ProxiedServersAsync(_stopping.Token))
                {
                    RequestReconcile(serverId);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogStartFailed(logger, ex);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] running;
        lock (_queueGate)
        {
            if (Volatile.Read(ref _disposed) == 1)
            {
                return;
            }

            _stopping.Cancel();
            running = [.. _runners];
        }

        await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        // The container disposes it once per registration that hands it out (service, interface, hosted service).
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
        foreach (var gate in _locks.Values)
        {
            gate.Dispose();
        }
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Listing the servers whose proxy is on failed; they are reconciled after their next change.")]
    private static partial void LogStartFailed(ILogger logger, Exception exception);
}
