using System.Globalization;
using Microsoft.Extensions.Logging;
using Slipway.Core.Commands;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Execution;

namespace Slipway.Core.Engine;

/// <summary>
/// After a crash — of this process, or of another instance sharing the database whose lease expired — deployments
/// it left <c>in_progress</c> (adopted by this instance first, see <see cref="IEngineStore.AdoptOrphansAsync"/>) become <c>failed</c> with a log line saying why, the command
/// they were running (<c>current_process_id</c>) is stopped, their new containers and work directories are removed, and — if that left the application with nothing running —
/// the container they had stopped is started again. Queued deployments stay queued and run next.
/// </summary>
public sealed partial class RecoveryService(
    IEngineStore store,
    IExecutionTargets targets,
    IDeploymentLogStore log,
    TimeProvider clock,
    ILogger<RecoveryService> logger)
{
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var (work, reason, workRoot) in await store.AdoptOrphansAsync(cancellationToken))
        {
            var journal = new RunLogWriter(log, work.Deployment.Id);
            await journal.ErrorAsync(reason);
            try
            {
                await CleanUpAsync(work, workRoot, journal, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCleanupFailed(logger, ex, work.Deployment.Uuid);
                await journal.ErrorAsync($"Cleaning up after the interrupted run failed: {ex.Message}");
            }

            // The terminal status is written last, as in a normal run: a client that sees "failed" sees the cleanup
            // done, the whole log and no current_process_id. Until then the application's slot stays taken, so
            // its next queued deployment cannot start beside the leftovers.
            await store.SetProcessIdAsync(work.Deployment.Id, null, cancellationToken);
            await journal.FlushAsync(cancellationToken);
            await store.CompleteAsync(work.Deployment.Id, DeploymentStatus.Failed, Timestamps.Now(clock), logComplete: false, cancellationToken);
            await log.CompleteAsync(work.Deployment.Id, cancellationToken);
        }
    }

    private async Task CleanUpAsync(DeploymentWork work, string? workRoot, RunLogWriter journal, CancellationToken cancellationToken)
    {
        var target = await targets.GetAsync(work.Server, cancellationToken);
        // The command that was running (a build, a clone) outlived the process that started it: stop it first, so
        // the engine drops the build and its build container instead of finishing it minutes from now.
        if (int.TryParse(work.Deployment.CurrentProcessId, NumberStyles.None, CultureInfo.InvariantCulture, out var processId))
        {
            await journal.RunAsync(target.Runner, ProcessCommands.StopLeftover(processId, work.Deployment.Uuid), cancellationToken, throwOnFailure: false);
        }

        var leftovers = await journal.RunAsync(target.Runner, DockerCommands.ListContainersOfDeployment(work.Deployment.Uuid), cancellationToken, quiet: true);
        foreach (var name in leftovers.StandardOutput.Where(n => n.Length > 0))
        {
            await journal.RunAsync(target.Runner, DockerCommands.Remove(name), cancellationToken, throwOnFailure: false);
        }

        // On localhost each instance keeps work directories in its own data directory: the dead one's, not ours.
        var root = work.Server.IsLocalhost && !string.IsNullOrEmpty(workRoot) ? workRoot : target.WorkRoot;
        await target.DeleteDirectoryAsync($"{root}/{work.Deployment.Uuid}", cancellationToken);

        var containers = await journal.RunAsync(
            target.Runner, DockerCommands.ListContainers(work.Application.Uuid, work.Deployment.PullRequestId), cancellationToken, quiet: true);
        var rows = containers.StandardOutput.Select(l => l.Split('\t')).Where(p => p.Length >= 2).ToList();
        if (rows.Count > 0 && rows.All(p => p[1] != "running"))
        {
            // docker ps lists newest first: the newest stopped container is the one the interrupted run replaced.
            await journal.RunAsync(target.Runner, DockerCommands.Start(rows[0][0]), cancellationToken, throwOnFailure: false);
            await journal.InfoAsync($"Started the previous container {rows[0][0]} again.");
        }
    }

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "Could not clean up after interrupted deployment {DeploymentUuid}.")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string deploymentUuid);
}
