namespace Slipway.Api.Hosting;

/// <summary>
/// Gives memory back to the operating system once the server falls quiet: when no request has started or ended for
/// <see cref="QuietPeriod"/>, and the process allocated at least <see cref="MinimumAllocatedBytes"/> since the last
/// time. Otherwise the garbage of the last burst, and the heap regions and native arenas it grew, stay resident until
/// the next burst reuses them: on a small server that idles most of the day, that is memory other processes lack
/// (9 MiB of an idle <c>slipway serve</c>, bench/idle-rss.sh).
/// </summary>
/// <remarks>
/// A burst of requests is trimmed once, after it ends: a full compacting collection of the live heap, 15–30 ms for an
/// idle server's. Work no request waits on (a deployment a webhook started) is caught by a check every
/// <see cref="BackstopPeriod"/>, which trims only when no request is under way. The threshold keeps a monitor's
/// occasional health check, and an idle server's backstop checks, from buying a collection each time. Registered by the
/// process entry points (<c>slipway serve</c>), not in <see cref="SlipwayServer.Build"/>: test hosts share one process
/// and its heap.
/// </remarks>
public sealed partial class IdleMemoryTrimmer : IHostedService, IDisposable
{
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);
    public const long MinimumAllocatedBytes = 4 * 1024 * 1024;
    public static readonly TimeSpan BackstopPeriod = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;
    private readonly IProcessMemory _memory;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<IdleMemoryTrimmer> _logger;
    private readonly ITimer _timer;
    private readonly ITimer _backstop;
    private readonly Lock _trimming = new();
    private CancellationTokenRegistration _started;
    private long _lastActivity;
    private int _armed;
    private long _allocatedAtLastTrim;

    public IdleMemoryTrimmer(TimeProvider time, IProcessMemory memory, IHostApplicationLifetime lifetime, ILogger<IdleMemoryTrimmer> logger)
    {
        _time = time;
        _memory = memory;
        _lifetime = lifetime;
        _logger = logger;
        // Created here, disarmed, not in StartAsync: a request may come before the hosted service starts.
        _timer = time.CreateTimer(static self => ((IdleMemoryTrimmer)self!).CheckQuiet(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _backstop = time.CreateTimer(static self => ((IdleMemoryTrimmer)self!).CheckBackstop(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Start-up's own garbage (migrations, the model, the first queries) is the first burst.
        _started = _lifetime.ApplicationStarted.Register(NoteActivity);
        _backstop.Change(BackstopPeriod, BackstopPeriod);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _started.Dispose();
        _timer.Dispose();
        _backstop.Dispose();
    }

    /// <summary>A request started or ended: the quiet period starts again, and a check is armed if none is.</summary>
    public void NoteActivity()
    {
        Volatile.Write(ref _lastActivity, _time.GetTimestamp());
        if (Volatile.Read(ref _armed) == 0 && Interlocked.Exchange(ref _armed, 1) == 0)
        {
            Arm(QuietPeriod);
        }
    }

    // Runs on the one-shot timer, so never twice at once: it is re-armed only here or once _armed is back to 0.
    private void CheckQuiet()
    {
        var quietFor = _time.GetElapsedTime(Volatile.Read(ref _lastActivity));
        if (quietFor < QuietPeriod)
        {
            Arm(QuietPeriod - quietFor);
            return;
        }

        // From here a new request arms the next check; one that slips in before this line is trimmed alongside.
        Volatile.Write(ref _armed, 0);
        TrimIfWorthIt();
    }

    private void CheckBackstop()
    {
        if (_time.GetElapsedTime(Volatile.Read(ref _lastActivity)) >= QuietPeriod)
        {
            TrimIfWorthIt();
        }
    }

    private void TrimIfWorthIt()
    {
        // The quiet check and the backstop run on two timers: one trim at a time, each counted once.
        lock (_trimming)
        {
            var allocated = _memory.TotalAllocatedBytes - _allocatedAtLastTrim;
            if (allocated < MinimumAllocatedBytes)
            {
                return;
            }

            // The resident size is read from /proc, twice: only for the Debug line that reports it.
            var logged = _logger.IsEnabled(LogLevel.Debug);
            var started = _time.GetTimestamp();
            var before = logged ? Environment.WorkingSet : 0;
            _memory.ReturnUnused();
            _allocatedAtLastTrim = _memory.TotalAllocatedBytes;
            if (logged)
            {
                LogTrimmed(_logger, allocated >> 20, before >> 20, Environment.WorkingSet >> 20, _time.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }

    // After StopAsync (a request still draining) the timer is disposed, and Change returns false: nothing more is trimmed.
    private void Arm(TimeSpan due) => _timer.Change(due, Timeout.InfiniteTimeSpan);

    [LoggerMessage(1, LogLevel.Debug, "Returned unused memory to the system after work that allocated {AllocatedMiB} MiB: resident {BeforeMiB} MiB before, {AfterMiB} MiB after, in {ElapsedMs:F1} ms")]
    private static partial void LogTrimmed(ILogger logger, long allocatedMiB, long beforeMiB, long afterMiB, double elapsedMs);
}
