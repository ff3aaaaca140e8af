using Slipway.Core.Engine;

namespace Slipway.Core.Tests.Engine;

public sealed class ClaimPolicyTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static QueueState State(IEnumerable<QueuedItem> queued, IEnumerable<RunningItem>? running = null, int concurrent = 2) =>
        new(queued.ToList(), (running ?? []).ToList(), new Dictionary<long, ServerLimits> { [1] = new(concurrent, 3600), [2] = new(concurrent, 3600) });

    [Fact]
    public void SelectStartable_MoreThanServerLimit_StartsOnlyTheOldestUpToTheLimit()
    {
        var queued = Enumerable.Range(1, 5).Select(i => new QueuedItem(i, ApplicationId: 100 + i, 0, ServerId: 1, T0.AddSeconds(10 - i)));

        var startable = ClaimPolicy.SelectStartable(State(queued));

        Assert.Equal([5L, 4L], startable.Select(s => s.Id).ToArray());
    }

    [Fact]
    public void SelectStartable_SameApplicationAndPullRequest_AtMostOneRuns()
    {
        var queued = new[]
        {
            new QueuedItem(1, 7, 0, 1, T0),
            new QueuedItem(2, 7, 0, 1, T0.AddSeconds(1)),
            new QueuedItem(3, 7, 12, 1, T0.AddSeconds(2)),
        };

        var startable = ClaimPolicy.SelectStartable(State(queued, concurrent: 5));

        Assert.Equal([1L, 3L], startable.Select(s => s.Id).ToArray());
    }

    [Fact]
    public void SelectStartable_ApplicationAlreadyRunning_WaitsAndLetsOthersPass()
    {
        var queued = new[] { new QueuedItem(2, 7, 0, 1, T0), new QueuedItem(3, 8, 0, 1, T0.AddSeconds(1)) };
        var running = new[] { new RunningItem(1, 7, 0, 1) };

        var startable = ClaimPolicy.SelectStartable(State(queued, running));

        Assert.Equal([3L], startable.Select(s => s.Id).ToArray());
    }

    [Fact]
    public void SelectStartable_LimitsArePerServer()
    {
        var queued = Enumerable.Range(1, 6).Select(i => new QueuedItem(i, i, 0, ServerId: i % 2 + 1, T0.AddSeconds(i)));

        var startable = ClaimPolicy.SelectStartable(State(queued, concurrent: 1));

        Assert.Equal([1L, 2L], startable.Select(s => s.Id).ToArray());
    }

    [Fact]
    public void SelectStartable_ServerFull_StartsNothing()
    {
        var queued = new[] { new QueuedItem(3, 9, 0, 1, T0) };
        var running = new[] { new RunningItem(1, 7, 0, 1), new RunningItem(2, 8, 0, 1) };

        Assert.Empty(ClaimPolicy.SelectStartable(State(queued, running)));
    }

    [Fact]
    public void MoreCouldStart_ServerAtItsLimitCountingTheStartable_IsFalse()
    {
        var queued = new[] { new QueuedItem(2, 8, 0, 1, T0), new QueuedItem(3, 9, 0, 1, T0.AddSeconds(1)) };
        var running = new[] { new RunningItem(1, 7, 0, 1) };

        // One runs and one more may start: server 1 is full, whatever arrived later.
        Assert.False(ClaimPolicy.MoreCouldStart(State(queued, running), [1], fill: true));
    }

    [Fact]
    public void MoreCouldStart_FreeSlotOnlyBlockedDeploymentsSoFar_IsTrue()
    {
        var queued = new[] { new QueuedItem(2, 7, 0, 1, T0), new QueuedItem(3, 7, 0, 1, T0.AddSeconds(1)) };
        var running = new[] { new RunningItem(1, 7, 0, 1) };

        Assert.True(ClaimPolicy.MoreCouldStart(State(queued, running), [1], fill: true));
        Assert.True(ClaimPolicy.MoreCouldStart(State(queued, running), [1], fill: false));
    }

    [Fact]
    public void MoreCouldStart_DispatchNeedsOneStartablePerServer_ClaimNeedsTheServerFilled()
    {
        var queued = new[] { new QueuedItem(1, 7, 0, 1, T0) };

        Assert.False(ClaimPolicy.MoreCouldStart(State(queued), [1], fill: false));
        Assert.True(ClaimPolicy.MoreCouldStart(State(queued), [1], fill: true));
    }

    [Fact]
    public void MoreCouldStart_AnotherServerWithQueuedWorkAndNoStartableYet_IsTrue()
    {
        var queued = new[] { new QueuedItem(1, 7, 0, 1, T0) };

        Assert.True(ClaimPolicy.MoreCouldStart(State(queued), [1, 2], fill: false));
        Assert.False(ClaimPolicy.MoreCouldStart(State(queued), [1], fill: false));
    }
}
