using System.Collections.Concurrent;

namespace Slipway.Api.Features.Deployments;

/// <summary>
/// Rendered <c>logs</c> strings of recently read deployments, so a log that has not changed is not read and
/// rendered again (5,000 rows cost tens of milliseconds; their version check costs one indexed aggregate).
/// <para>
/// An entry is valid only for the exact (row count, highest order) it was rendered from. Log rows are
/// append-only (<see cref="Slipway.Core.Deployments.DeploymentLogEntry"/>): a new row raises both, a removed row
/// lowers the count, so a changed log never matches a stale entry. Entries are per database (keyed by the
/// connection string) and bounded in number and size; the least recently used go first.
/// </para>
/// </summary>
internal static class RenderedLogCache
{
    public const int MaxEntries = 64;
    public const long MaxChars = 32L * 1024 * 1024;

    /// <summary>The longest log kept; longer ones are streamed from their rows on every read.</summary>
    public const long MaxEntryChars = MaxChars / 4;

    private static readonly ConcurrentDictionary<(string Database, long DeploymentId), Entry> Entries = new();
    private static readonly Lock WriteLock = new();
    private static long _chars;

    public static string? Get(string database, long deploymentId, LogVersion version)
    {
        if (!Entries.TryGetValue((database, deploymentId), out var entry) || entry.Version != version)
        {
            return null;
        }

        entry.Touch();
        return entry.Logs;
    }

    public static void Set(string database, long deploymentId, LogVersion version, string logs)
    {
        if (logs.Length > MaxEntryChars)
        {
            return;
        }

        // Writes are rare (a miss that rendered); one lock keeps the size accounting exact.
        lock (WriteLock)
        {
            var key = (database, deploymentId);
            if (Entries.TryGetValue(key, out var old))
            {
                _chars -= old.Logs.Length;
            }

            Entries[key] = new Entry(version, logs);
            _chars += logs.Length;
            if (Entries.Count <= MaxEntries && _chars <= MaxChars)
            {
                return;
            }

            foreach (var (oldKey, entry) in Entries.OrderBy(e => e.Value.LastUsed).ToArray())
            {
                if (Entries.Count <= MaxEntries && _chars <= MaxChars)
                {
                    break;
                }

                Entries.TryRemove(oldKey, out _);
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
