using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Core.Common;

namespace Slipway.Core.Engine;

/// <summary>
/// Starts queued deployments. The deployments table is the queue; a wake-up signal (a deployment was queued,
/// one ended, one was cancelled) triggers a pass that claims, in order of arrival, what the limits allow.
/// All claims happen in this one loop, one conditional update each, so the limits hold however many triggers
/// arrive at once. On start it recovers from a previous process that died (see <see cref="RecoveryService"/>).
/// </summary>
public sealed partial class DeploymentScheduler(
    IEngineStore store,
    DeploymentRunner runner,
    RunningDeployments running,
    DeploymentSignal signal,
    RecoveryService recovery,
    EngineOptions options,
    TimeProvider clock,
    ILogger<DeploymentScheduler> logger) : BackgroundService
{
    private readonly TaskCompletionSource _recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when start-up recovery is done (tests and benchmarks wait on it).</summary>
    public Task Recovered => _recovered.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await recovery.RecoverAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRecoveryFailed(logger, ex);
        }
        finally
        {
            _recovered.TrySetResult();
        }

        signal.Notify();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitAsync(stoppingToken);
                await DispatchAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // A failed pass (the database was busy, say) must not stop the engine: log and wait for the next signal.
                LogDispatchFailed(logger, ex);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        running.CancelAll("Slipway is shutting down.");
        await base.StopAsync(cancellationToken);
        await Task.WhenAny(running.WhenAllStoppedAsync(), Task.Delay(options.ShutdownGrace, clock, cancellationToken));
    }

    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        var state = await store.LoadQueueStateAsync(stoppingToken);
        foreach (var item in ClaimPolicy.SelectStartable(state))
        {
            if (!await store.TryClaimAsync(item.Id, Timestamps.Now(clock), stoppingToken))
            {
                continue;
            }

            var timeout = TimeSpan.FromSeconds(state.Servers.TryGetValue(item.ServerId, out var limits) ? limits.DynamicTimeout : 3600);
            var run = running.Add(item.Id, timeout, clock, stoppingToken);
            _ = Task.Run(() => RunAndReleaseAsync(item.Id, run, stoppingToken), CancellationToken.None);
        }
    }

    private async Task RunAndReleaseAsync(long deploymentId, RunningDeployments.Run run, CancellationToken stoppingToken)
    {
        try
        {
            await runner.RunAsync(deploymentId, run, stoppingToken);
        }
        finally
        {
            run.MarkCompleted();
            running.Remove(deploymentId);
            signal.Notify();
        }
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Error, Message = "A scheduling pass failed; waiting for the next signal.")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Error, Message = "Start-up recovery failed.")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception exception);
}
