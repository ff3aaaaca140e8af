using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Slipway.Core.Engine;

/// <summary>
/// Starts queued deployments. The deployments table is the queue; a wake-up signal (a deployment was queued,
/// one ended, one was cancelled) triggers a pass that claims, in order of arrival, what the limits allow.
/// Claims are made per server under a cluster-wide lock (<see cref="IEngineStore.ClaimAsync"/>), so the limits hold
/// however many triggers arrive at once and however many instances claim. On start, and whenever another instance
/// is found dead (<see cref="RequestRecovery"/>), it adopts and fails what a dead process left running
/// (see <see cref="RecoveryService"/>). Besides wake-up signals it runs a pass every <see cref="EngineOptions.SafetyPoll"/>.
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
    private int _recoveryRequested;

    /// <summary>Completes when start-up recovery is done (tests and benchmarks wait on it).</summary>
    public Task Recovered => _recovered.Task;

    /// <summary>Asks for a recovery pass before the next scheduling pass (another instance was found dead).</summary>
    public void RequestRecovery()
    {
        Volatile.Write(ref _recoveryRequested, 1);
        signal.Notify();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RecoverAsync(stoppingToken);
        _recovered.TrySetResult();

        signal.Notify();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The safety poll: a lost notification (another instance's, across a reconnect) costs at most this long.
                using (var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    poll.CancelAfter(options.SafetyPoll);
                    try
                    {
                        await signal.WaitAsync(poll.Token);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                    }
                }

                if (Interlocked.Exchange(ref _recoveryRequested, 0) == 1)
                {
                    await RecoverAsync(stoppingToken);
                }

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

    private async Task RecoverAsync(CancellationToken stoppingToken)
    {
        try
        {
            await recovery.RecoverAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRecoveryFailed(logger, ex);
        }
    }

    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        var state = await store.LoadQueueStateAsync(stoppingToken);
        // The local read only says which servers may have something to start; the claim decides under the server's lock.
        foreach (var serverId in ClaimPolicy.SelectStartable(state).Select(i => i.ServerId).Distinct())
        {
            foreach (var id in await store.ClaimAsync(serverId, stoppingToken))
            {
                var timeout = TimeSpan.FromSeconds(state.Servers.TryGetValue(serverId, out var limits) ? limits.DynamicTimeout : 3600);
                var run = running.Add(id, timeout, clock, stoppingToken);
                _ = Task.Run(() => RunAndReleaseAsync(id, run, stoppingToken), CancellationToken.None);
            }
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
