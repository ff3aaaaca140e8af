using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Cluster;
using Slipway.Core.Deployments;

namespace Slipway.Core.Tests.Deployments;

/// <summary>
/// A pass leaves the database to other writers between deployments, not only between full batches: logs shorter
/// than a batch are pruned in back-to-back transactions otherwise (bench/at-scale.sh measured a running deployment's
/// log append waiting seconds on SQLite behind such a pass).
/// </summary>
public sealed class LogRetentionPauseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunOnce_ShortLogs_PausesAfterEachDeploymentBeforeTheNext()
    {
        var clock = new FakeTimeProvider();
        var store = new RecordingStore([new PrunableLog(1, 10), new PrunableLog(2, 10)]);
        var options = new LogRetentionOptions { BatchSize = 1_000, PauseBetweenBatches = TimeSpan.FromMilliseconds(20) };
        var retention = new LogRetention(store, new NoLocks(), options, clock, NullLogger<LogRetention>.Instance);

        var pass = retention.RunOnceAsync(Ct);
        await store.WaitForAsync("mark 1");

        // The first deployment is done; the second waits for the pause.
        clock.Advance(TimeSpan.FromMilliseconds(19));
        Assert.DoesNotContain("notice 2", store.Calls);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await store.WaitForAsync("mark 2");
        clock.Advance(TimeSpan.FromMilliseconds(20));

        Assert.Equal(2, await pass);
        Assert.Equal(["find", "notice 1", "delete 1", "mark 1", "notice 2", "delete 2", "mark 2"], store.Calls);
    }

    private sealed class RecordingStore(IReadOnlyList<PrunableLog> prunable) : ILogRetentionStore
    {
        private readonly Lock _lock = new();
        private readonly List<string> _calls = [];

        public IReadOnlyList<string> Calls
        {
            get
            {
                lock (_lock)
                {
                    return [.. _calls];
                }
            }
        }

        public async Task WaitForAsync(string call)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            while (!Calls.Contains(call))
            {
                await Task.Delay(5, timeout.Token);
            }
        }

        public Task<IReadOnlyList<PrunableLog>> FindPrunableAsync(int take, CancellationToken cancellationToken)
        {
            Record("find");
            return Task.FromResult(prunable);
        }

        public Task<int> AppendNoticeAsync(long deploymentId, string notice, DateTime now, CancellationToken cancellationToken)
        {
            Record($"notice {deploymentId}");
            return Task.FromResult(51);
        }

        public Task<int> DeleteBeforeAsync(long deploymentId, int order, int batchSize, CancellationToken cancellationToken)
        {
            Record($"delete {deploymentId}");
            return Task.FromResult(50);
        }

        public Task MarkPrunedAsync(long deploymentId, DateTime now, CancellationToken cancellationToken)
        {
            Record($"mark {deploymentId}");
            return Task.CompletedTask;
        }

        private void Record(string call)
        {
            lock (_lock)
            {
                _calls.Add(call);
            }
        }
    }

    private sealed class NoLocks : IClusterLocks
    {
        public ValueTask<IAsyncDisposable> AcquireAsync(ClusterLockScope scope, long id, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IAsyncDisposable>(new Held());

        public ValueTask<IAsyncDisposable?> TryAcquireAsync(ClusterLockScope scope, long id, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IAsyncDisposable?>(new Held());

        private sealed class Held : IAsyncDisposable
        {
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
