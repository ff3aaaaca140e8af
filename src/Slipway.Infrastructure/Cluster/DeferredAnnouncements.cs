using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Deployments;

namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// Announces this instance's busiest writes — a claim, a batch of log lines, the end of a run — to the other
/// instances in one notification per <see cref="Every"/>, instead of one per commit from the triggers. PostgreSQL
/// signals every listening session of the database for each commit that notifies, whatever it says: with 3 instances
/// that woke all 3 and 3 PostgreSQL backends 3 times per run, and draining 500 deployments took 1.26 times as long as
/// on one instance (bench/ha.sh; 1.07 with the triggers switched off).
/// <para>
/// A write opts in by running inside <see cref="Defer"/> (EF statements: <see cref="LeadingStatementInterceptor"/> puts
/// <see cref="LeadingStatement"/> in front of them) or by starting with <see cref="LeadingStatement"/> itself: its
/// transaction then sets <c>slipway.announce</c>, which the triggers skip. After the commit the writer adds the change
/// here. Other instances hear of it up to <see cref="Every"/> later (no change that wakes a scheduler — a deployment
/// becoming queued — is ever deferred). Should this process die before announcing, the others treat everything as
/// changed when its lease lapses (<see cref="PostgresChangeListener"/>), as after a lost notification connection.
/// </para>
/// </summary>
public sealed partial class DeferredAnnouncements : IHostedService, IDisposable
{
    public const string LeadingStatement = "SELECT set_config('slipway.announce', 'later', true);";
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(20);

    /// <summary>Below PostgreSQL's 8,000-byte limit on a payload, with room for the origin.</summary>
    private const int MaxPayload = 7_500;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly IServiceProvider _services;
    private readonly PostgresSessions _sessions;
    private readonly ILogger<DeferredAnnouncements> _logger;
    private readonly OnDemandTicker _ticker;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly AsyncLocal<bool> _deferring = new();
    private HashSet<string> _pending = [];

    public DeferredAnnouncements(
        IServiceProvider services, PostgresSessions sessions, ILogger<DeferredAnnouncements> logger)
    {
        // The contexts are resolved when sending: their interceptor needs this instance first.
        _services = services;
        _sessions = sessions;
        _logger = logger;
        // Real time, as the log store's ticker: tests that freeze the clock still see changes announced.
        _ticker = new OnDemandTicker(TimeProvider.System, Every, () => _ = SendAsync(CancellationToken.None));
    }

    /// <summary>True inside <see cref="Defer"/>, in its own asynchronous flow.</summary>
    internal bool Deferring => _deferring.Value;

    /// <summary>
    /// The statements this flow sends until the scope is disposed leave their announcement to this; the caller adds
    /// each change after it committed. (EF 10 drops a query tag from <c>ExecuteUpdate</c>, so a tag cannot mark them.)
    /// </summary>
    public IDisposable Defer()
    {
        _deferring.Value = true;
        return new Scope(this);
    }

    /// <summary>The deployment's row changed (a claim, an end): never a change to <c>queued</c>.</summary>
    public void RowChanged(long deploymentId) => Add(string.Create(CultureInfo.InvariantCulture, $"d:{deploymentId}:0"));

    /// <summary>Log rows of the deployment were stored.</summary>
    public void LogAppended(long deploymentId) => Add(string.Create(CultureInfo.InvariantCulture, $"l:{deploymentId}"));

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// What is still pending goes out before the process stops: the ends of the runs the shutdown stopped. With time of
    /// its own, as the engine before it may have used all the host's.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(StopTimeout);
        await SendAsync(timeout.Token);
    }

    // The semaphore is not disposed: a tick already under way may still release it (it holds no wait handle).
    public void Dispose() => _ticker.Dispose();

    private void Add(string message)
    {
        lock (_gate)
        {
            _pending.Add(message);
        }

        _ticker.Arm();
    }

    /// <summary>Sends everything pending as <c>{origin}/b:{message},{message},…</c>, in as few notifications as fit.</summary>
    internal async Task SendAsync(CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        HashSet<string> batch = [];
        try
        {
            lock (_gate)
            {
                (batch, _pending) = (_pending, []);
            }

            if (batch.Count == 0)
            {
                return;
            }

            var contexts = _services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>();
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            foreach (var payload in Payloads(batch))
            {
                await db.Database.ExecuteSqlRawAsync(
                    $"SELECT pg_notify('{PostgresChangeListener.Channel}', {{0}})", [payload], cancellationToken);
            }
        }
        catch (Exception ex)
        {
            // Kept for the next tick (a payload sent before the failure goes again: receiving one twice is harmless).
            lock (_gate)
            {
                _pending.UnionWith(batch);
            }

            LogSendFailed(_logger, ex);
            if (!cancellationToken.IsCancellationRequested)
            {
                _ticker.Arm();
            }
        }
        finally
        {
            _sending.Release();
        }
    }

    private IEnumerable<string> Payloads(IEnumerable<string> messages)
    {
        var payload = new StringBuilder();
        foreach (var message in messages)
        {
            if (payload.Length > 0 && payload.Length + message.Length >= MaxPayload)
            {
                yield return payload.ToString();
                payload.Clear();
            }

            payload.Append(payload.Length == 0 ? $"{_sessions.Origin}/{PostgresChangeListener.BatchPrefix}" : ",").Append(message);
        }

        if (payload.Length > 0)
        {
            yield return payload.ToString();
        }
    }

    private sealed class Scope(DeferredAnnouncements announcements) : IDisposable
    {
        public void Dispose() => announcements._deferring.Value = false;
    }

    [LoggerMessage(EventId = 3023, Level = LogLevel.Warning, Message = "Could not announce this instance's changes to the others; retrying.")]
    private static partial void LogSendFailed(ILogger logger, Exception exception);
}
