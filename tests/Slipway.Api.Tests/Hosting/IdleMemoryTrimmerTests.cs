using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Slipway.Api.Hosting;
using Slipway.Api.Tests.Fixtures;

namespace Slipway.Api.Tests.Hosting;

/// <summary>When <see cref="IdleMemoryTrimmer"/> trims, on a clock the test moves and a recording stand-in for the
/// runtime (a real trim collects the whole test process's heap). ServeCommandTests watches the real one.</summary>
[Trait(TestDatabase.TraitName, TestDatabase.AnyDatabase)]
public sealed class IdleMemoryTrimmerTests : IAsyncLifetime
{
    private static readonly TimeSpan Quiet = IdleMemoryTrimmer.QuietPeriod;
    private readonly FakeTimeProvider _clock = new();
    private readonly RecordingMemory _memory = new();
    private readonly ApplicationLifetime _lifetime = new(NullLogger<ApplicationLifetime>.Instance);
    private readonly IdleMemoryTrimmer _trimmer;

    public IdleMemoryTrimmerTests() =>
        _trimmer = new IdleMemoryTrimmer(_clock, _memory, _lifetime, NullLogger<IdleMemoryTrimmer>.Instance);

    public async ValueTask InitializeAsync() => await _trimmer.StartAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync()
    {
        _trimmer.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public void StartUp_IsTrimmedOnce_AQuietPeriodAfterTheHostStarted()
    {
        _memory.Allocate(IdleMemoryTrimmer.MinimumAllocatedBytes);
        _lifetime.NotifyStarted();

        _clock.Advance(Quiet - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, _memory.Trims);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _memory.Trims);

        // Idle from then on: nothing is armed, nothing runs.
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, _memory.Trims);
    }

    [Fact]
    public void Burst_IsTrimmedOnce_AQuietPeriodAfterItsLastRequest()
    {
        for (var request = 0; request < 10; request++)
        {
            _trimmer.NoteActivity();
            _memory.Allocate(IdleMemoryTrimmer.MinimumAllocatedBytes / 4);
            _clock.Advance(Quiet / 2);
        }

        // Each request restarted the quiet period: none of the checks on the way found the server idle.
        Assert.Equal(0, _memory.Trims);
        _clock.Advance(Quiet / 2);
        Assert.Equal(1, _memory.Trims);
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, _memory.Trims);
    }

    [Fact]
    public void QuietAfterLittleWork_IsNotTrimmed_UntilTheWorkAddsUpToTheThreshold()
    {
        // A monitor's health check every 30 s: each allocates little.
        for (var check = 0; check < 3; check++)
        {
            _trimmer.NoteActivity();
            _memory.Allocate(IdleMemoryTrimmer.MinimumAllocatedBytes / 3);
            _clock.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(0, _memory.Trims);
        _trimmer.NoteActivity();
        _memory.Allocate(IdleMemoryTrimmer.MinimumAllocatedBytes / 3);
        _clock.Advance(Quiet);
        Assert.Equal(1, _memory.Trims);

        // The threshold counts from the last trim.
        _trimmer.NoteActivity();
        _memory.Allocate(IdleMemoryTrimmer.MinimumAllocatedBytes - 1);
        _clock.Advance(Quiet);
        Assert.Equal(1, _memory.Trims);
    }

    [Fact]
    public void SecondBurst_AfterATrim_IsTrimmedAgain()
    {
        _trimmer.NoteActivity();
        _memory.Allocate(IdleMemoryTrimmer.MinimumAllocatedBytes);
        _clock.Advance(Quiet);
        _clock.Advance(TimeSpan.FromSeconds(5));
        _trimmer.NoteActivity();
        _memory.Allocate(IdleMemoryTrimmer.MinimumAllocatedBytes);
        _clock.Advance(Quiet);

        Assert.Equal(2, _memory.Trims);
    }

    [Fact]
    public async Task Stopped_TrimsNoMore()
    {
        _trimmer.NoteActivity();
        _memory.Allocate(IdleMemoryTrimmer.MinimumAllocatedBytes);
        await _trimmer.StopAsync(TestContext.Current.CancellationToken);
        _clock.Advance(Quiet);
        _trimmer.NoteActivity();
        _clock.Advance(Quiet);

        Assert.Equal(0, _memory.Trims);
    }

    [Fact]
    public void RequestBeforeTheServiceStarted_IsTrimmedAQuietPeriodAfterIt()
    {
        // Kestrel may answer before the hosted services have all started.
        using var notStarted = new IdleMemoryTrimmer(_clock, _memory, _lifetime, NullLogger<IdleMemoryTrimmer>.Instance);
        notStarted.NoteActivity();
        _memory.Allocate(IdleMemoryTrimmer.MinimumAllocatedBytes);
        _clock.Advance(Quiet);

        Assert.Equal(1, _memory.Trims);
    }

    [Fact]
    public void WorkNoRequestWaitsOn_IsTrimmedByTheBackstop_OnceItIsDone()
    {
        // A deployment a webhook started: it allocates after the webhook's request ended and its quiet check ran.
        _trimmer.NoteActivity();
        _clock.Advance(Quiet);
        _memory.Allocate(IdleMemoryTrimmer.MinimumAllocatedBytes);

        _clock.Advance(IdleMemoryTrimmer.BackstopPeriod - Quiet - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, _memory.Trims);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _memory.Trims);
        _clock.Advance(IdleMemoryTrimmer.BackstopPeriod * 10);
        Assert.Equal(1, _memory.Trims);
    }

    [Fact]
    public void Backstop_WhileRequestsAreUnderWay_LeavesTheTrimToTheirQuietPeriod()
    {
        var busyUntil = IdleMemoryTrimmer.BackstopPeriod * 2;
        for (var elapsed = TimeSpan.Zero; elapsed < busyUntil; elapsed += Quiet / 2)
        {
            _trimmer.NoteActivity();
            _memory.Allocate(IdleMemoryTrimmer.MinimumAllocatedBytes);
            _clock.Advance(Quiet / 2);
        }

        Assert.Equal(0, _memory.Trims);
        _clock.Advance(Quiet / 2);
        Assert.Equal(1, _memory.Trims);
    }

    private sealed class RecordingMemory : IProcessMemory
    {
        public long TotalAllocatedBytes { get; private set; }

        public int Trims { get; private set; }

        public void Allocate(long bytes) => TotalAllocatedBytes += bytes;

        public void ReturnUnused() => Trims++;
    }
}
