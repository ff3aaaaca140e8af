using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Cluster;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Engine;

namespace Slipway.Api.Tests.Deployments;

/// <summary>
/// A run's busiest writes — its claim, its log rows, its end — are announced to the other instances by the instance
/// that wrote them, batched (<see cref="DeferredAnnouncements"/>), not by a trigger per commit. On PostgreSQL: a
/// listener on the channel hears them only in batches with this instance's origin, an instance of its own hears every
/// change (its followers wake for the row and for the log), and a write that is not deferred — a deployment queued —
/// is still announced by its trigger. On SQLite, where no other instance listens, the same writes run untagged.
/// </summary>
public sealed class DeferredAnnouncementTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private ServiceProvider? _other;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClaimLogAndEnd_ReachAnotherInstance_InBatchesFromTheWriter_WhileAQueuedDeploymentIsAnnouncedAtOnce()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync("deferred");
        var deployment = await tenant.DeploymentAsync(application);
        await factory.Services.GetRequiredService<InstanceLease>().RegisterAsync(Ct);
        var store = ActivatorUtilities.CreateInstance<EfEngineStore>(factory.Services);
        var log = factory.Services.GetRequiredService<IDeploymentLogStore>();

        if (!TestDatabase.UsePostgres)
        {
            Assert.Null(factory.Services.GetService<DeferredAnnouncements>());
            await RunAsync(store, log, tenant, deployment.Id);
            await AssertEndedAsync(deployment.Id, lines: 2);
            return;
        }

        var origin = factory.Services.GetRequiredService<PostgresSessions>().Origin;
        await using var listener = await ListenAsync(factory.Database.ConnectionString!);
        var other = await OtherInstanceAsync();
        var seen = 0;
        using var followed = other.GetRequiredService<DeploymentLogFeed>().Subscribe(deployment.Id, change => Interlocked.Or(ref seen, (int)change));

        // Each of the run's writes reaches the other instance: the claim, the log lines, the end.
        Assert.Equal(new[] { deployment.Id }, await store.ClaimAsync(tenant.Server.Id, Ct));
        await HeardAsync(DeploymentChange.Row, "the claim");
        await log.AppendAsync(deployment.Id, [new LogLine("one"), new LogLine("two")], Ct);
        await log.CloseAsync(deployment.Id, Ct);
        await HeardAsync(DeploymentChange.Log, "the log lines");
        Assert.True(await store.CompleteAsync(deployment.Id, DeploymentStatus.Finished, DateTime.UtcNow, logComplete: true, Ct));
        await HeardAsync(DeploymentChange.Row, "the end");
        await AssertEndedAsync(deployment.Id, lines: 2);

        // A deployment becoming queued wakes the schedulers: its trigger announces it on its own, in the commit. Since
        // notifications arrive in commit order, every one the run's writes made has arrived by then.
        var queued = await tenant.DeploymentAsync(application);
        await listener.WaitForAsync(_ => listener.Payloads.Any(p => p.EndsWith($"/d:{queued.Id}:1", StringComparison.Ordinal)));
        var expected = new[] { $"d:{deployment.Id}:0", $"l:{deployment.Id}" };
        var aboutRun = listener.Payloads.Where(p => ChannelListener.Messages(p).Any(expected.Contains)).ToList();
        Assert.NotEmpty(aboutRun);
        // Every one came from the writer, batched: none from a trigger.
        Assert.All(aboutRun, payload => Assert.StartsWith($"{origin}/b:", payload, StringComparison.Ordinal));
        Assert.Equal(expected.Order(StringComparer.Ordinal), aboutRun.SelectMany(ChannelListener.Messages).Distinct().Order(StringComparer.Ordinal));

        async Task HeardAsync(DeploymentChange change, string what)
        {
            await WaitUntilAsync(() => (Volatile.Read(ref seen) & (int)change) != 0, $"The other instance did not hear of {what}.");
            Interlocked.Exchange(ref seen, 0);
        }
    }

    [Fact]
    public async Task AnotherInstancesLeaseLapsing_MakesEveryFollowerHereLookAgain()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync("lapse"));
        if (!TestDatabase.UsePostgres)
        {
            // One instance on SQLite: no other instance's announcements to miss.
            Assert.Null(factory.Services.GetService<PostgresChangeListener>());
            return;
        }

        var other = await OtherInstanceAsync();
        var seen = 0;
        using var followed = other.GetRequiredService<DeploymentLogFeed>().Subscribe(deployment.Id, change => Interlocked.Or(ref seen, (int)change));
        await using (var db = factory.CreateDbContext())
        {
            // An instance that renews no more: what it had not yet announced never comes.
            var now = await DatabaseClock.ReadAsync(db, Ct);
            db.Instances.Add(new SlipwayInstance
            {
                Name = "lapsing",
                MachineId = "elsewhere",
                StartedAt = DateTime.UtcNow,
                HeartbeatMs = now,
                LeaseExpiresMs = now + 300,
            });
            await db.SaveChangesAsync(Ct);
        }

        var everything = (int)(DeploymentChange.Row | DeploymentChange.Log);
        await WaitUntilAsync(() => Volatile.Read(ref seen) == everything, "The follower was not woken when the instance's lease lapsed.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_other is not null)
        {
            await _other.DisposeAsync();
        }
    }

    /// <summary>What a run writes: the claim, two log lines stored, the end.</summary>
    private static async Task RunAsync(EfEngineStore store, IDeploymentLogStore log, Tenant tenant, long deploymentId)
    {
        Assert.Equal(new[] { deploymentId }, await store.ClaimAsync(tenant.Server.Id, Ct));
        await log.AppendAsync(deploymentId, [new LogLine("one"), new LogLine("two")], Ct);
        await log.CloseAsync(deploymentId, Ct);
        Assert.True(await store.CompleteAsync(deploymentId, DeploymentStatus.Finished, DateTime.UtcNow, logComplete: true, Ct));
    }

    private async Task AssertEndedAsync(long deploymentId, int lines)
    {
        await using var db = factory.CreateDbContext();
        var row = await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == deploymentId, Ct);
        Assert.Equal((DeploymentStatus.Finished, true), (row.Status, row.LogComplete));
        Assert.Equal(lines, await db.DeploymentLogEntries.CountAsync(e => e.DeploymentId == deploymentId, Ct));
    }

    /// <summary>A second instance on the same database, listening as a served one does.</summary>
    private async Task<ServiceProvider> OtherInstanceAsync()
    {
        _other = TestInstances.Create(factory.Database, "other-instance");
        var listener = _other.GetRequiredService<PostgresChangeListener>();
        await listener.StartAsync(Ct);
        await listener.Listening.WaitAsync(Patience, Ct);
        return _other;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(10, Ct);
        }
    }

    private static async Task<ChannelListener> ListenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        var listener = new ChannelListener(connection);
        await using (var command = new NpgsqlCommand($"LISTEN {PostgresChangeListener.Channel}", connection))
        {
            await command.ExecuteNonQueryAsync(Ct);
        }

        listener.Start();
        return listener;
    }

    /// <summary>Every payload sent on the channel, as a raw listener receives them.</summary>
    private sealed class ChannelListener : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection;
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;

        public ChannelListener(NpgsqlConnection connection)
        {
            _connection = connection;
            _connection.Notification += (_, e) => Payloads.Enqueue(e.Payload);
        }

        public ConcurrentQueue<string> Payloads { get; } = new();

        public void Start() => _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                await _connection.WaitAsync(_stop.Token);
            }
        });

        /// <summary>The messages received so far (a batch's one by one), once <paramref name="done"/> says they are enough.</summary>
        public async Task<List<string>> WaitForAsync(Func<List<string>, bool> done)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (true)
            {
                var messages = Payloads.SelectMany(Messages).ToList();
                if (done(messages))
                {
                    return messages;
                }

                Assert.True(DateTime.UtcNow < deadline, $"Not announced in time; heard: {string.Join(" | ", Payloads)}");
                await Task.Delay(10, Ct);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }

            await _connection.DisposeAsync();
            _stop.Dispose();
        }

        public static IEnumerable<string> Messages(string payload)
        {
            var message = payload[(payload.IndexOf('/', StringComparison.Ordinal) + 1)..];
            var batch = PostgresChangeListener.BatchPrefix;
            return message.StartsWith(batch, StringComparison.Ordinal) ? message[batch.Length..].Split(',') : [message];
        }
    }
}
