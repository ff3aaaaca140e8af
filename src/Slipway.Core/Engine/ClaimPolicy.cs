namespace Slipway.Core.Engine;

/// <summary>
/// Coolify's queue rules, as a pure function: in order of arrival, a queued deployment may start when its
/// server runs fewer than <c>concurrent_builds</c> deployments and nothing else runs for the same application
/// and pull request. Each start counts toward the limits of the ones after it.
/// </summary>
public static class ClaimPolicy
{
    public static IReadOnlyList<QueuedItem> SelectStartable(QueueState state) => Select(state, out _);

    /// <summary>
    /// Whether queued deployments that arrived after all of <paramref name="state"/>'s could change what
    /// <see cref="SelectStartable"/> answers, so a store can read the queue a page at a time, oldest first, and stop
    /// early: no, once every server in <paramref name="serversWithQueued"/> is at its limit counting the startable
    /// ones or, unless <paramref name="fill"/>, has one startable (a dispatch pass only asks which servers to claim on;
    /// a claim fills the server). Later arrivals never change the earlier ones' fate, so the answer over the pages read
    /// is the whole queue's.
    /// </summary>
    public static bool MoreCouldStart(QueueState state, IEnumerable<long> serversWithQueued, bool fill)
    {
        var startable = Select(state, out var perServer);
        foreach (var serverId in serversWithQueued)
        {
            if (perServer.GetValueOrDefault(serverId) < Limit(state, serverId) && (fill || !startable.Any(s => s.ServerId == serverId)))
            {
                return true;
            }
        }

        return false;
    }

    private static List<QueuedItem> Select(QueueState state, out Dictionary<long, int> perServer)
    {
        perServer = state.InProgress.GroupBy(r => r.ServerId).ToDictionary(g => g.Key, g => g.Count());
        var busy = state.InProgress.Select(r => (r.ApplicationId, r.PullRequestId)).ToHashSet();
        var startable = new List<QueuedItem>();
        foreach (var item in state.Queued.OrderBy(q => q.CreatedAt).ThenBy(q => q.Id))
        {
            var running = perServer.GetValueOrDefault(item.ServerId);
            if (running >= Limit(state, item.ServerId) || busy.Contains((item.ApplicationId, item.PullRequestId)))
            {
                continue;
            }

            startable.Add(item);
            perServer[item.ServerId] = running + 1;
            busy.Add((item.ApplicationId, item.PullRequestId));
        }

        return startable;
    }

    private static int Limit(QueueState state, long serverId) =>
        state.Servers.TryGetValue(serverId, out var server) ? Math.Max(server.ConcurrentBuilds, 1) : 1;
}
