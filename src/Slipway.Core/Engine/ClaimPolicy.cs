namespace Slipway.Core.Engine;

/// <summary>
/// Coolify's queue rules, as a pure function: in order of arrival, a queued deployment may start when its
/// server runs fewer than <c>concurrent_builds</c> deployments and nothing else runs for the same application
/// and pull request. Each start counts toward the limits of the ones after it.
/// </summary>
public static class ClaimPolicy
{
    public static IReadOnlyList<QueuedItem> SelectStartable(QueueState state)
    {
        var perServer = state.InProgress.GroupBy(r => r.ServerId).ToDictionary(g => g.Key, g => g.Count());
        var busy = state.InProgress.Select(r => (r.ApplicationId, r.PullRequestId)).ToHashSet();
        var startable = new List<QueuedItem>();
        foreach (var item in state.Queued.OrderBy(q => q.CreatedAt).ThenBy(q => q.Id))
        {
            var limit = state.Servers.TryGetValue(item.ServerId, out var server) ? Math.Max(server.ConcurrentBuilds, 1) : 1;
            var running = perServer.GetValueOrDefault(item.ServerId);
            if (running >= limit || busy.Contains((item.ApplicationId, item.PullRequestId)))
            {
                continue;
            }

            startable.Add(item);
            perServer[item.ServerId] = running + 1;
            busy.Add((item.ApplicationId, item.PullRequestId));
        }

        return startable;
    }
}
