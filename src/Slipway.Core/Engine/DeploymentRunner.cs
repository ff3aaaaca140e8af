using Microsoft.Extensions.Logging;
using Slipway.Core.Cluster;
using Slipway.Core.Deployments;
using Slipway.Core.Execution;
using Slipway.Core.Proxy;

namespace Slipway.Core.Engine;

/// <summary>
/// Runs one claimed deployment from start to terminal status: loads it, plans it, runs the pipeline, and
/// records how it ended — finished, failed (with the reason in the log) or cancelled — then cleans its work
/// directory. It never throws: whatever happens, the row leaves <c>in_progress</c> — unless another instance took
/// the run over (this one lost its lease): then it stops and writes nothing, the new owner has ended it.
/// </summary>
public sealed partial class DeploymentRunner(
    IEngineStore store,
    IExecutionTargets targets,
    IHttpProber prober,
    IProxyService proxy,
    IUpstreamPortPicker upstreamPorts,
    IDeploymentLogStore log,
    DeploymentPlanner planner,
    IRunFence fence,
    EngineOptions options,
    TimeProvider clock,
    ILogger<DeploymentRunner> logger)
{
    internal async Task RunAsync(long deploymentId, RunningDeployments.Run run, CancellationToken stopping)
    {
        var journal = new RunLogWriter(log, deploymentId);
        DeploymentStatus? outcome = DeploymentStatus.Failed;
        DeploymentContext? context = null;
        try
        {
            var work = await store.LoadWorkAsync(deploymentId, CancellationToken.None);
            if (work is null)
            {
                return;
            }

            log.SetSecrets(deploymentId, work.Variables.Where(v => v.IsSecret).Select(v => v.Value).ToArray());
            log.SetLimits(deploymentId, new LogLimits(work.Server.DeploymentLogMaxLines, work.Server.DeploymentLogMaxBytes));
            await journal.InfoAsync($"Starting deployment {work.Deployment.Uuid} of {work.Application.Name} on {work.Server.Name}.");
            var target = await targets.GetAsync(work.Server, run.Token);
            context = new DeploymentContext
            {
                Work = work,
                Target = target,
                Log = journal,
                Store = store,
                Clock = clock,
                Options = options,
                Prober = prober,
                Fence = fence,
                Proxy = proxy,
                UpstreamPorts = upstreamPorts,
                Commit = work.Deployment.Commit,
            };
            await DeploymentPipeline.RunAsync(context, planner.BeforePlanning(context), run.Token);
            var steps = await DeploymentPlanner.PlanAsync(context);
            await DeploymentPipeline.RunAsync(context, steps, run.Token);
            await context.ProcessIdsRecordedAsync();
            outcome = DeploymentStatus.Finished;
        }
        catch (DeploymentFencedException ex)
        {
            LogFenced(logger, deploymentId, ex.Message);
            outcome = null;
        }
        catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
        {
            outcome = await RecordStopAsync(journal, run, stopping);
        }
        catch (Exception ex) when (ex is DeploymentFailedException or CommandFailedException)
        {
            await journal.ErrorAsync($"Deployment failed: {ex.Message}");
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, ex, deploymentId);
            await journal.ErrorAsync($"Deployment failed: unexpected error: {ex.Message}");
            await journal.DebugAsync(ex.ToString());
        }
        finally
        {
            await FinishAsync(deploymentId, context, journal, outcome);
        }
    }

    private static async Task<DeploymentStatus?> RecordStopAsync(RunLogWriter journal, RunningDeployments.Run run, CancellationToken stopping)
    {
        switch (run.ResolveReason(stopping.IsCancellationRequested))
        {
            case RunningDeployments.StopReason.Cancelled:
                await journal.ErrorAsync("Deployment cancelled: the running step was stopped and its work undone.");
                return DeploymentStatus.CancelledByUser;
            case RunningDeployments.StopReason.Fenced:
                // Another instance owns the deployment now and has written how it ended.
                return null;
            case RunningDeployments.StopReason.Shutdown:
                await journal.ErrorAsync("Slipway is shutting down: the deployment was stopped and marked failed.");
                return DeploymentStatus.Failed;
            default:
                await journal.ErrorAsync("Deployment timed out (the server's dynamic_timeout): it was stopped and marked failed.");
                return DeploymentStatus.Failed;
        }
    }

    private async Task FinishAsync(long deploymentId, DeploymentContext? context, RunLogWriter journal, DeploymentStatus? outcome)
    {
        if (context is not null && !fence.Holds(context.Deployment.InstanceGeneration))
        {
            // However it ended (a command the new owner killed fails it), the deployment is not ours any more.
            outcome = null;
        }

        if (outcome is null)
        {
            // Fenced: the instance that took over removed the work directory and the containers, and ended the row
            // and the log. The log writer drops what we still wrote.
            await log.CompleteAsync(deploymentId, CancellationToken.None);
            return;
        }

        try
        {
            if (context is not null)
            {
                await context.Target.DeleteDirectoryAsync(context.WorkDir, CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            await journal.ErrorAsync($"Could not remove the work directory: {ex.Message}");
        }

        var logRecorded = false;
        try
        {
            if (context is not null)
            {
                await WaitForProcessIdsAsync(context, journal);
            }

            if (outcome == DeploymentStatus.CancelledByUser)
            {
                // The cancel turned the status terminal already, so the run's end is current_process_id cleared: every
                // line is stored first, and a client that sees no process left reads the whole log.
                await log.CompleteAsync(deploymentId, CancellationToken.None);
                logRecorded = true;
            }

            // A run that stored no PID has none to clear (the row had none when it was claimed).
            if (context is not { ProcessIdStored: false })
            {
                await store.SetProcessIdAsync(deploymentId, null, CancellationToken.None);
            }

            if (outcome == DeploymentStatus.Finished)
            {
                await journal.InfoAsync("Deployment finished.");
            }

            if (outcome != DeploymentStatus.CancelledByUser)
            {
                // Every line is stored before the status turns terminal (a client that sees the end can read the whole
                // log), and the writer closed, so the row records the terminal status and the whole log in one write.
                await log.CloseAsync(deploymentId, CancellationToken.None);
                var ended = await store.CompleteAsync(deploymentId, outcome.Value, Common.Timestamps.Now(clock), logComplete: true, CancellationToken.None);
                logRecorded = ended;
                if (ended && outcome == DeploymentStatus.Finished && context is not null)
                {
                    await store.SetApplicationStatusAsync(context.Application.Id, "running", CancellationToken.None);
                }
            }
        }
        finally
        {
            // Otherwise (ended elsewhere, a failed write) the log is recorded whole on its own.
            if (!logRecorded)
            {
                await log.CompleteAsync(deploymentId, CancellationToken.None);
            }
        }
    }

    /// <summary>The PIDs still being written must land before the final null, or a late one would outlive the run.</summary>
    private static async Task WaitForProcessIdsAsync(DeploymentContext context, RunLogWriter journal)
    {
        try
        {
            await context.ProcessIdsRecordedAsync();
        }
        catch (Exception ex)
        {
            await journal.DebugAsync($"Could not record a process id: {ex.Message}");
        }
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Deployment {DeploymentId} was taken over by another instance; this run stops without touching it: {Reason}")]
    private static partial void LogFenced(ILogger logger, long deploymentId, string reason);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Deployment {DeploymentId} failed unexpectedly.")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, long deploymentId);
}
