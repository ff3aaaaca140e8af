namespace Slipway.Core.Engine;

/// <summary>What the scheduler needs to decide which queued deployments may start now.</summary>
public sealed record QueueState(
    IReadOnlyList<QueuedItem> Queued,
    IReadOnlyList<RunningItem> InProgress,
    IReadOnlyDictionary<long, ServerLimits> Servers);

public sealed record QueuedItem(long Id, long ApplicationId, int PullRequestId, long ServerId, DateTime CreatedAt);

public sealed record RunningItem(long Id, long ApplicationId, int PullRequestId, long ServerId);

/// <summary>A server's <c>concurrent_builds</c> and its per-deployment timeout (<c>dynamic_timeout</c>, seconds).</summary>
public sealed record ServerLimits(int ConcurrentBuilds, int DynamicTimeout);
