using System.Collections.Concurrent;

namespace Slipway.Api.Features.Deployments;

/// <summary>
/// Rendered <c>logs</c> strings of recently read deployments, so a log that has not changed is not read and
/// rendered again (5,000 rows cost tens of milliseconds; their version check costs one indexed aggregate).
/// <para>
/// An entry is valid only for the exact (row count, highest order) it was rendered from. Log rows are
/// append-only (<see cref="Slipway.Core.Deployments.DeploymentLogEntry"/>): a new row raises both, a removed row
/// lowers the count, so a changed log never matches a stale entry. Entries are bounded in number and size; the
/// least recently used go first. The version is read from
/// the database on every use, so an entry is right on every instance whoever appends the rows. One per host
/// (a DI singleton), so hosts on different databases in one process never share entries.
/// </para>
/// </summary>
internal sealed class RenderedLogCache
{
    public const int MaxEntries = 64;
    public const long MaxChars = 32L * 1024 * 1024;

    /// <summary>The longest log kept; longer ones are streamed from their rows on every read.</summary>
    public const long MaxEntryChars = MaxChars / 4;

    private readonly ConcurrentDictionary<long, Entry> _entries = new();
    private readonly Lock _writeLock = new();
    private long _chars;

    public string? Get(long deploymentId, LogVersion version)
    {
        if (!_entries.TryGetValue(deploymentId, out var entry) || entry.Version != version)
        {
            return null;
        }

        entry.Touch();
        return entry.Logs;
    }

    public void Set(long deploymentId, LogVersion version, string logs)
    {
        if (logs.Length > MaxEntryChars)
        {
            return;
        }

        // Writes are rare (a miss that rendered); one lock keeps the size accounting exact.
        lock (_writeLock)
        {
            var key = deploymentId;
            if (_entries.TryGetValue(key, out var old))
            {
                _chars -= old.Logs.Length;
            }

            _entries[key] = new Entry(version, logs);
            _chars += logs.Length;
            if (_entries.Count <= MaxEntries && _chars <= MaxChars)
            {
                return;
            }

            foreach (var (oldKey, entry) in _entries.OrderBy(e => e.Value.LastUsed).ToArray())
            {
                if (_entries.Count <= MaxEntries && _chars <= MaxChars)
                {
                    break;
                }

                _entries.TryRemove(oldKey, out _);
                _chars -= entry.Logs.Length;
            }
        }
    }

    private sealed class Entry(LogVersion version, string logs)
    {
        private long _lastUsed = Environment.TickCount64;

        public LogVersion Version { get; } = version;
        public string Logs { get; } = logs;
        public long LastUsed => Interlocked.Read(ref _lastUsed);

        public void Touch() => Interlocked.Exchange(ref _lastUsed, Environment.TickCount64);
    }
}

/// <summary>What identifies a deployment's log content, given that rows are only ever appended.</summary>
internal readonly record struct LogVersion(int Count, int MaxOrder);
