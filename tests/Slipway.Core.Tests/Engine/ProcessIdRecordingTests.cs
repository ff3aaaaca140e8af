using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Core.Execution;
using Slipway.Core.Servers;
using Slipway.Core.Tests.Fakes;

namespace Slipway.Core.Tests.Engine;

/// <summary>
/// <c>current_process_id</c> is written only when the reported PID changes: every write is a round trip and, with
/// several instances, a notification to each of the others (bench/ha.sh).
/// </summary>
public sealed class ProcessIdRecordingTests
{
    private readonly FakeEngineStore _store = new();

    private DeploymentContext Context() => new()
    {
        Work = new DeploymentWork(
            new Deployment { Id = 9, Uuid = "depuuid0000000000000000", ApplicationId = 1, Commit = "HEAD" },
            new Application { Id = 1, Uuid = "appuuid0000000000000000", Name = "site", PortsExposes = "8080" },
            TestServers.Localhost(allowHostNetwork: true),
            [],
            DeployKey: null),
        Target = new FakeExecutionTarget(new FakeCommandRunner()),
        Log = new RunLogWriter(new MemoryDeploymentLogStore(), 9),
        Store = _store,
        Clock = TimeProvider.System,
        Options = new EngineOptions(),
        Prober = new NoProber(),
        Proxy = new RecordingProxy(),
    };

    [Fact]
    public async Task OnProcessStarted_SamePidReportedAgain_StoresEachChangeOnce()
    {
        var context = Context();

        foreach (var pid in new int?[] { null, 7, 7, 8, 8, null, null })
        {
            await context.OnProcessStartedAsync(pid);
        }

        await context.ProcessIdsRecordedAsync();
        Assert.Equal(["7", "8", null], _store.ProcessIds);
        Assert.True(context.ProcessIdStored);
    }

    [Fact]
    public async Task OnProcessStarted_NoPidEverReported_StoresNothing()
    {
        var context = Context();

        await context.OnProcessStartedAsync(null);
        await context.OnProcessStartedAsync(null);

        await context.ProcessIdsRecordedAsync();
        Assert.Empty(_store.ProcessIds);
        Assert.False(context.ProcessIdStored);
    }

    private sealed class NoProber : IHttpProber
    {
        public Task<HttpProbeResult> ProbeAsync(Server server, HttpProbe probe, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpProbeResult(null, string.Empty, "not used"));
    }
}
