using System.Collections.Concurrent;
using Slipway.Core.Deployments;

namespace Slipway.Infrastructure.Deployments;

/// <summary>
/// The newest stored entries of each log that is being written (up to <see cref="Capacity"/> per deployment), so
/// live followers take a freshly stored batch from memory instead of each querying the database for it: with 50
/// followers that was 50 queries per batch, and the time they took was most of what a line waited to be shown.
/// Only entries already committed to the database are held, in order and without gaps, so a follower whose next
/// entry is held reads exactly what the database would answer (possibly fewer, never different); anything older
/// is read from the database. A deployment's window is dropped when its log is completed.
/// </summary>
public sealed class RecentLogEntries
{
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<long, Window> _windows = new();

    /// <summary>Whether entries of the deployment are held (they are only while its log is being written).</summary>
    public bool Holds(long deploymentId) => _windows.ContainsKey(deploymentId);

    /// <summary>Adds a committed batch (ascending orders) of the deployment's log.</summary>
    public void Stored(long deploymentId, IReadOnlyList<DeploymentLogEntry> batch) =>
        _windows.GetOrAdd(deploymentId, _ => new Window()).Add(batch);

    public void Forget(long deploymentId) => _windows.TryRemove(deploymentId, out _);

    /// <summary>Drops every window (this instance lost its lease: another may write these logs now).</summary>
    public void Clear() => _windows.Clear();

    /// <summary>
    /// Appends to <paramref name="into"/> up to <paramref name="take"/> held entries with an order above
    /// <paramref name="after"/>; false (and nothing appended) when the entry after it is not held, so the caller
    /// must read the database.
    /// </summary>
    public bool TryReadAfter(long deploymentId, int after, int take, List<DeploymentLogEntry> into) =>
        _windows.TryGetValue(deploymentId, out var window) && window.TryReadAfter(after, take, into);

    private sealed class Window
    {
        private readonly DeploymentLogEntry[] _ring = new DeploymentLogEntry[Capacity];
        private int _first;
        private int _count;

        public void Add(IReadOnlyList<DeploymentLogEntry> batch)
        {
            lock (_ring)
            {
                foreach (var entry in batch)
                {
                    if (_count > 0 && entry.Order != _first + _count)
                    {
                        // Not the next order (never expected): start over rather than hold a gap.
                        _count = 0;
                    }

                    if (_count == 0)
                    {
                        _first = entry.Order;
                    }

                    _ring[entry.Order % Capacity] = entry;
                    if (_count == Capacity)
                    {
                        _first++;
                    }
                    else
                    {
                        _count++;
                    }
                }
            }
        }

        public bool TryReadAfter(int after, int take, List<DeploymentLogEntry> into)
        {
            lock (_ring)
            {
                if (_count == 0 || after + 1 < _first)
                {
                    return false;
                }

                var last = _first + _count - 1;
                for (var order = after + 1; order <= last && take-- > 0; order++)
                {
                    into.Add(_ring[order % Capacity]);
                }

                return true;
            }
        }
    }
}
