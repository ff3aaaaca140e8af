using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Deployments;

namespace Slipway.Api.Tests.Deployments;

/// <summary>The in-memory window of freshly stored log entries that live followers read before the database.</summary>
[Trait(TestDatabase.TraitName, TestDatabase.AnyDatabase)]
public sealed class RecentLogEntriesTests
{
    private const long Deployment = 7;

    [Fact]
    public void TryReadAfter_HeldRange_ReturnsTheEntriesAfterInOrder()
    {
        var recent = new RecentLogEntries();
        recent.Stored(Deployment, Entries(1, 10));

        var page = new List<DeploymentLogEntry>();
        Assert.True(recent.TryReadAfter(Deployment, 4, 100, page));

        Assert.Equal([5, 6, 7, 8, 9, 10], page.Select(e => e.Order));
    }

    [Fact]
    public void TryReadAfter_RespectsTake()
    {
        var recent = new RecentLogEntries();
        recent.Stored(Deployment, Entries(1, 10));

        var page = new List<DeploymentLogEntry>();
        Assert.True(recent.TryReadAfter(Deployment, 0, 3, page));

        Assert.Equal([1, 2, 3], page.Select(e => e.Order));
    }

    [Fact]
    public void TryReadAfter_CaughtUp_IsHeldAndEmpty()
    {
        var recent = new RecentLogEntries();
        recent.Stored(Deployment, Entries(1, 10));

        var page = new List<DeploymentLogEntry>();
        Assert.True(recent.TryReadAfter(Deployment, 10, 100, page));

        Assert.Empty(page);
    }

    [Fact]
    public void TryReadAfter_OlderThanTheWindow_SendsTheCallerToTheDatabase()
    {
        var recent = new RecentLogEntries();
        recent.Stored(Deployment, Entries(1, RecentLogEntries.Capacity + 50));

        var page = new List<DeploymentLogEntry>();
        Assert.False(recent.TryReadAfter(Deployment, 49, 100, page));
        Assert.Empty(page);
        Assert.True(recent.TryReadAfter(Deployment, 50, 2, page));
        Assert.Equal([51, 52], page.Select(e => e.Order));
    }

    [Fact]
    public void TryReadAfter_WindowStartsAfterTheCallersNextEntry_SendsTheCallerToTheDatabase()
    {
        // A log reopened after a restart continues at order 101; orders 1..100 are only in the database.
        var recent = new RecentLogEntries();
        recent.Stored(Deployment, Entries(101, 110));

        Assert.False(recent.TryReadAfter(Deployment, 20, 100, []));
        Assert.True(recent.TryReadAfter(Deployment, 100, 100, []));
    }

    [Fact]
    public void Stored_AfterAGap_HoldsOnlyWhatFollowsIt()
    {
        var recent = new RecentLogEntries();
        recent.Stored(Deployment, Entries(1, 10));
        recent.Stored(Deployment, Entries(20, 25));

        var page = new List<DeploymentLogEntry>();
        Assert.False(recent.TryReadAfter(Deployment, 10, 100, page));
        Assert.True(recent.TryReadAfter(Deployment, 19, 100, page));
        Assert.Equal([20, 21, 22, 23, 24, 25], page.Select(e => e.Order));
    }

    [Fact]
    public void Forget_DropsTheWindow_AndOtherDeploymentsAreSeparate()
    {
        var recent = new RecentLogEntries();
        recent.Stored(Deployment, Entries(1, 3));
        recent.Stored(Deployment + 1, Entries(1, 3));

        recent.Forget(Deployment);

        Assert.False(recent.Holds(Deployment));
        Assert.False(recent.TryReadAfter(Deployment, 0, 100, []));
        Assert.True(recent.Holds(Deployment + 1));
    }

    private static DeploymentLogEntry[] Entries(int first, int last) =>
        Enumerable.Range(first, last - first + 1)
            .Select(order => new DeploymentLogEntry { DeploymentId = Deployment, Order = order, Type = "stdout", Output = $"line {order}" })
            .ToArray();
}
