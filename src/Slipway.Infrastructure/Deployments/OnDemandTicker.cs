namespace Slipway.Infrastructure.Deployments;

/// <summary>
/// Calls back on the next tick of a fixed period, and only when armed. The log store used to flush on a timer that
/// fired every 50 ms for the life of the process: 20 wake-ups a second on a server with nothing to write. Ticks keep
/// the period's phase from construction, so a line waits as long as it did under that timer (up to one period).
/// </summary>
internal sealed class OnDemandTicker : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _period;
    private readonly long _origin;
    private readonly ITimer _timer;
    private int _armed;

    public OnDemandTicker(TimeProvider time, TimeSpan period, Action tick)
    {
        _time = time;
        _period = period;
        _origin = time.GetTimestamp();
        _timer = time.CreateTimer(
            _ =>
            {
                // Disarmed before the callback runs: whatever is queued while it runs arms the next tick.
                Volatile.Write(ref _armed, 0);
                tick();
            },
            null,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>Makes sure a tick comes at the next period boundary; calls before it share that one tick.</summary>
    public void Arm()
    {
        if (Interlocked.CompareExchange(ref _armed, 1, 0) != 0)
        {
            return;
        }

        var intoPeriod = _time.GetElapsedTime(_origin).Ticks % _period.Ticks;
        _timer.Change(TimeSpan.FromTicks(_period.Ticks - intoPeriod), Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _timer.Dispose();
}
