using Microsoft.Extensions.Time.Testing;
using Slipway.Api.Tests.Fixtures;
using Slipway.Infrastructure.Deployments;

namespace Slipway.Api.Tests.Deployments;

/// <summary>
/// The log store's flush tick: none while nothing is queued (an idle server used to wake 20 times a second for it),
/// one at the next period boundary once armed, and another when something is queued while the last one runs.
/// </summary>
[Trait(TestDatabase.TraitName, TestDatabase.AnyDatabase)]
public sealed class OnDemandTickerTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(50);

    [Fact]
    public void NeverArmed_NeverTicks()
    {
        var time = new FakeTimeProvider();
        var ticks = 0;
        using var ticker = new OnDemandTicker(time, Period, () => ticks++);

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, ticks);
    }

    [Fact]
    public void Armed_TicksOnceAtTheNextBoundary_HoweverOftenArmed()
    {
        var time = new FakeTimeProvider();
        var ticks = 0;
        using var ticker = new OnDemandTicker(time, Period, () => ticks++);
        time.Advance(TimeSpan.FromMilliseconds(110));

        ticker.Arm();
        ticker.Arm();
        time.Advance(TimeSpan.FromMilliseconds(39));
        ticker.Arm();
        Assert.Equal(0, ticks);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, ticks);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, ticks);
    }

    [Fact]
    public void ArmedWhileTicking_TicksAgainAtTheFollowingBoundary()
    {
        var time = new FakeTimeProvider();
        var ticks = 0;
        OnDemandTicker? ticker = null;
        ticker = new OnDemandTicker(time, Period, () =>
        {
            if (++ticks == 1)
            {
                ticker!.Arm();
            }
        });
        using (ticker)
        {
            ticker.Arm();
            time.Advance(Period);
            Assert.Equal(1, ticks);

            time.Advance(Period - TimeSpan.FromMilliseconds(1));
            Assert.Equal(1, ticks);
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(2, ticks);

            time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(2, ticks);
        }
    }
}
