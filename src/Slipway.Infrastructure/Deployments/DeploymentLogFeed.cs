using System.Collections.Concurrent;
namespace Slipway.Infrastructure.Deployments;

/// <summary>
/// In-process broadcast of stored log rows and status changes, for live followers. Followers subscribe per
/// deployment; a notification says "something new was stored", the follower then reads from the database from
/// its last order, so a slow follower never holds lines in memory.
/// </summary>
public sealed class DeploymentLogFeed
{
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<Guid, Action>> _subscribers = new();

    public IDisposable Subscribe(long deploymentId, Action onChange)
    {
        var id = Guid.NewGuid();
        _subscribers.GetOrAdd(deploymentId, _ => new ConcurrentDictionary<Guid, Action>())[id] = onChange;
        return new Subscription(this, deploymentId, id);
    }

    public void Notify(long deploymentId)
    {
        if (_subscribers.TryGetValue(deploymentId, out var subscribers))
        {
            foreach (var callback in subscribers.Values)
            {
                callback();
            }
        }
    }

    private void Unsubscribe(long deploymentId, Guid id)
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

    private sealed class Subscription(DeploymentLogFeed feed, long deploymentId, Guid id) : IDisposable
    {
        public void Dispose() => feed.Unsubscribe(deploymentId, id);
    }
}
