namespace Slipway.Core.Deployments;

/// <summary>When and how fast <see cref="LogRetention"/> prunes. Defaults suit production; tests run passes themselves.</summary>
public sealed class LogRetentionOptions
{
    /// <summary>How long after start the first pass runs (default 1 min: start-up recovery and the first claims go first).</summary>
    public TimeSpan FirstPassDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long from the end of one pass to the start of the next (default 5 min).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Log rows deleted per transaction (default 1,000: a few milliseconds of SQLite's single write lock, so the log
    /// appends of running deployments wait at most that long behind one).
    /// </summary>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>
    /// Pause after each batch and after each deployment (default 20 ms). SQLite's busy handler retries a blocked writer after 1, 2, 5, 10, 15,
    /// 20 ms...: without a gap longer than its steps a tight loop of deletes could retake the lock every time first.
    /// </summary>
    public TimeSpan PauseBetweenBatches { get; set; } = TimeSpan.FromMilliseconds(20);
}
