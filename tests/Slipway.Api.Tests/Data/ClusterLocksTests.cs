using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Cluster;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Tests.Data;

/// <summary>
/// The cluster-wide locks (<see cref="IClusterLocks"/>) on the suite's database: PostgreSQL advisory locks in the
/// PostgreSQL pass, in-process gates on SQLite. Each "instance" is a service provider of its own on one database.
/// </summary>
public sealed class ClusterLocksTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly List<ServiceProvider> _instances = [];
    private TestDatabase? _database;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    [Fact]
    public async Task AcquireAsync_ThreeHundredKeysHeldAtOnce_NoneWaitsForAnother()
    {
        var locks = Instance().GetRequiredService<IClusterLocks>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(Patience);

        // Nested as a webhook's locks are (its delivery's, then its server's queue): more keys than any striping of
        // them into a fixed set of gates could keep apart, and more than a connection pool holds.
        var held = new List<IAsyncDisposable>();
        foreach (var scope in new[] { ClusterLockScope.WebhookDelivery, ClusterLockScope.ServerQueue, ClusterLockScope.ServerPreviews })
        {
            for (var id = 1L; id <= 100; id++)
            {
                held.Add(await locks.AcquireAsync(scope, id * 7919, deadline.Token));
            }
        }

        foreach (var handle in held)
        {
            await handle.DisposeAsync();
        }

        // Released: each key can be taken again at once.
        await using (await locks.AcquireAsync(ClusterLockScope.ServerQueue, 7919, deadline.Token))
        {
        }
    }

    [Fact]
    public async Task AcquireAsync_HundredFiftyWaitersForOneKey_TakeItOneAtATimeInOrder_WhileHoldersUseTheDatabase()
    {
        var instance = Instance();
        var locks = instance.GetRequiredService<IClusterLocks>();
        var contexts = instance.GetRequiredService<IDbContextFactory<SlipwayDbContext>>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(Patience);
        var order = new List<int>();
        var inside = 0;
        var overlapped = false;

        var first = await locks.AcquireAsync(ClusterLockScope.ServerQueue, 42, deadline.Token);
        // Queued in this order while the first holder has it: more waiters than the connection pool has connections.
        var waiters = Enumerable.Range(0, 150).Select(i => HoldAsync(i)).ToList();
        await first.DisposeAsync();
        await Task.WhenAll(waiters);

        Assert.False(overlapped, "Two holders of one key were inside at once.");
        Assert.Equal(Enumerable.Range(0, 150), order);

        async Task HoldAsync(int number)
        {
            await using (await locks.AcquireAsync(ClusterLockScope.ServerQueue, 42, deadline.Token))
            {
                overlapped |= Interlocked.Increment(ref inside) > 1;
                lock (order)
                {
                    order.Add(number);
                }

                // A holder does its work on the database, as the queue's does (the waiters must leave it connections).
                await using var db = await contexts.CreateDbContextAsync(deadline.Token);
                Assert.Equal(1, await db.Database.SqlQueryRaw<int>("SELECT 1 AS \"Value\"").SingleAsync(deadline.Token));
                Interlocked.Decrement(ref inside);
            }
        }
    }

    [Fact]
    public async Task AcquireAsync_KeyHeldByAnotherInstance_WaitsUntilItIsReleased()
    {
        var first = Instance().GetRequiredService<IClusterLocks>();
        // On SQLite one instance runs: the other holder is another caller in the same process.
        var second = TestDatabase.UsePostgres ? Instance().GetRequiredService<IClusterLocks>() : first;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(Patience);

        var held = await first.AcquireAsync(ClusterLockScope.ServerClaims, 7, deadline.Token);
        var waiting = second.AcquireAsync(ClusterLockScope.ServerClaims, 7, deadline.Token).AsTask();
        // Another key of the same server's scope is free meanwhile.
        await using (await second.AcquireAsync(ClusterLockScope.ServerClaims, 8, deadline.Token))
        {
        }

        await Task.Delay(200, deadline.Token);
        Assert.False(waiting.IsCompleted, "The second instance took a lock the first one holds.");
        await held.DisposeAsync();
        var secondHeld = await waiting.WaitAsync(deadline.Token);

        // And now the first waits for the second.
        var again = first.AcquireAsync(ClusterLockScope.ServerClaims, 7, deadline.Token).AsTask();
        await Task.Delay(200, deadline.Token);
        Assert.False(again.IsCompleted, "The first instance took the lock back while the second held it.");
        await secondHeld.DisposeAsync();
        await (await again.WaitAsync(deadline.Token)).DisposeAsync();
    }

    [Fact]
    public async Task TryAcquireAsync_KeyHeld_AnotherInstanceGetsNullAtOnce_ThisOneWaitsForItsHolder()
    {
        var first = Instance().GetRequiredService<IClusterLocks>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(Patience);
        var held = await first.AcquireAsync(ClusterLockScope.LogRetention, 0, deadline.Token);

        if (TestDatabase.UsePostgres)
        {
            // Another instance skips the work instead of waiting; once released it takes the lock, and then the first is refused.
            var second = Instance().GetRequiredService<IClusterLocks>();
            Assert.Null(await second.TryAcquireAsync(ClusterLockScope.LogRetention, 0, deadline.Token));
            await held.DisposeAsync();
            var taken = await second.TryAcquireAsync(ClusterLockScope.LogRetention, 0, deadline.Token);
            Assert.NotNull(taken);
            Assert.Null(await first.TryAcquireAsync(ClusterLockScope.LogRetention, 0, deadline.Token));
            await taken.DisposeAsync();
            await using (Assert.IsAssignableFrom<IAsyncDisposable>(await first.TryAcquireAsync(ClusterLockScope.LogRetention, 0, deadline.Token)))
            {
            }
        }
        else
        {
            // One instance on SQLite: a holder in this process is waited for, never skipped.
            var waiting = first.TryAcquireAsync(ClusterLockScope.LogRetention, 0, deadline.Token).AsTask();
            await Task.Delay(200, deadline.Token);
            Assert.False(waiting.IsCompleted, "The lock was taken while another caller held it.");
            await held.DisposeAsync();
            await using (Assert.IsAssignableFrom<IAsyncDisposable>(await waiting.WaitAsync(deadline.Token)))
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private ServiceProvider Instance()
    {
        var database = _database!;
        var instance = TestInstances.Create(database, $"instance-{_instances.Count}");
        _instances.Add(instance);
        return instance;
    }
}
