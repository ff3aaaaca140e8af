using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Common;
using Slipway.Core.Deployments;

namespace Slipway.Api.Tests.Fixtures;

/// <summary>
/// Plays the engine's part on a host whose engine is off: writes log lines through the server's own log writer and
/// moves the status through the server's own store, so live followers see exactly what a run would produce.
/// </summary>
public sealed class DeploymentDriver(ApiFactory factory)
{
    private IDeploymentLogStore Log => factory.Services.GetRequiredService<IDeploymentLogStore>();

    public async Task AppendAsync(Deployment deployment, params string[] outputs)
    {
        await Log.AppendAsync(deployment.Id, outputs.Select(o => LogLine.Info(o)).ToList(), TestContext.Current.CancellationToken);
        await Log.FlushAsync(deployment.Id, TestContext.Current.CancellationToken);
    }

    public Task AppendUnflushedAsync(Deployment deployment, IReadOnlyList<LogLine> lines) =>
        Log.AppendAsync(deployment.Id, lines, TestContext.Current.CancellationToken).AsTask();

    /// <summary>Ends the log as a run does after recording its outcome: followers may stop after this.</summary>
    public Task CompleteLogAsync(Deployment deployment) => Log.CompleteAsync(deployment.Id, TestContext.Current.CancellationToken);

    public async Task SetStatusAsync(Deployment deployment, DeploymentStatus from, DeploymentStatus to)
    {
        var store = factory.Services.GetRequiredService<IDeploymentStore>();
        var changed = await store.TryTransitionAsync(deployment.Id, [from], to, Timestamps.Now(TimeProvider.System), TestContext.Current.CancellationToken);
        Assert.True(changed, $"Deployment {deployment.Uuid} was not {from}.");
    }

    /// <summary>What a finishing run does: its last line, the status, the end of the log.</summary>
    public async Task FinishAsync(Deployment deployment, DeploymentStatus outcome, string lastLine)
    {
        await AppendAsync(deployment, lastLine);
        await SetStatusAsync(deployment, DeploymentStatus.InProgress, outcome);
        await CompleteLogAsync(deployment);
    }
}
