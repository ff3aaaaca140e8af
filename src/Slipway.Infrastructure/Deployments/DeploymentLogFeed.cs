using System.Collections.Concurrent;

namespace Slipway.Infrastructure.Deployments;

/// <summary>What changed for a deployment: its row (status and other fields) or its log rows.</summary>
[Flags]
public enum DeploymentChange
{
    None = 0,
    Row = 1,
    Log = 2,
}

/// <summary>
/// In-process broadcast of stored log rows and status changes, for live followers. Followers subscribe per
/// deployment; a notification says "something new was stored", the follower then reads from the database from
/// its last order, so a slow follower never holds lines in memory.
/// <para>
/// The feed also knows whether a deployment's log is still being written (<see cref="IsWriting"/>): a status can
/// turn terminal before the last lines are stored (a run records how it ended after setting the status; a cancel
/// writes its reason just after flipping it), so followers stop only once no writer holds the log open.
/// </para>
/// </summary>
public sealed class DeploymentLogFeed
{
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<Guid, Action<DeploymentChange>>> _subscribers = new();
    private readonly Dictionary<long, int> _writers = [];

    /// <summary>The newest stored entries of the logs being written, for followers to read without a query.</summary>
    public RecentLogEntries Recent { get; } = new();

    public IDisposable Subscribe(long deploymentId, Action<DeploymentChange> onChange)
    {
        var id = Guid.NewGuid();
        // Subscribing and unsubscribing take a lock so an empty set is never dropped while one joins it;
        // publishing reads without one.
        lock (_subscribers)
        {
            _subscribers.GetOrAdd(deploymentId, _ => new ConcurrentDictionary<Guid, Action<DeploymentChange>>())[id] = onChange;
        }

        return new Subscription(() => Unsubscribe(deploymentId, id));
    }

    /// <summary>The deployment's row changed (its status, mostly).</summary>
    public void Notify(long deploymentId) => Publish(deploymentId, DeploymentChange.Row);

    /// <summary>New log rows of the deployment are stored, or its log stopped being written.</summary>
    public void NotifyLog(long deploymentId) => Publish(deploymentId, DeploymentChange.Log);

    /// <summary>Wakes every follower of every deployment (after notifications from other instances may have been missed).</summary>
    public void NotifyAll()
    {
        foreach (var deploymentId in _subscribers.Keys)
        {
            Publish(deploymentId, DeploymentChange.Row | DeploymentChange.Log);
        }
    }

    /// <summary>True while a writer holds the deployment's log open: more lines may still come.</summary>
    public bool IsWriting(long deploymentId)
    {
        lock (_writers)
        {
            return _writers.ContainsKey(deploymentId);
        }
    }

    /// <summary>Marks the log as being written until the returned handle is disposed (holds nest).</summary>
    public IDisposable HoldOpen(long deploymentId)
    {
        lock (_writers)
        {
            _writers[deploymentId] = _writers.GetValueOrDefault(deploymentId) + 1;
        }

        return new Subscription(() => Release(deploymentId));
    }

    private void Release(long deploymentId)
    {
        lock (_writers)
        {
            var count = _writers.GetValueOrDefault(deploymentId) - 1;
            if (count > 0)
            {
                _writers[deploymentId] = count;
            }
            else
            {
                _writers.Remove(deploymentId);
            }
        }

        // Followers waiting for the end of a finished deployment's log re-check now.
        NotifyLog(deploymentId);
    }

    private void Publish(long deploymentId, DeploymentChange change)
    {
        if (_subscribers.TryGetValue(deploymentId, out var subscribers))
        {
            foreach (var callback in subscribers.Values)
            {
                callback(change);
            }
        }
    }

    private void Unsubscribe(long deploymentId, Guid id)
    {
        lock (_subscribers)
        {
            if (_subscribers.TryGetValue(deploymentId, out var subscribers))
            {
                subscribers.TryRemove(id, out _);
                if (subscribers.IsEmpty)
                {
                    _subscribers.TryRemove(deploymentId, out _);
                }
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
