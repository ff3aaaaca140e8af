using Slipway.Core.Cluster;
using Slipway.Core.Common;

namespace Slipway.Core.Deployments;

/// <summary>
/// Puts deployments into the queue (the deployments table) and takes them out by cancelling. Decisions that
/// read then write (duplicate check, queue limit) run under the server's cluster-wide lock, so they hold when many
/// triggers arrive at once, through any number of instances: Coolify's check-then-act race does not exist here.
/// </summary>
public sealed class DeploymentQueue(
    IDeploymentStore store,
    IDeploymentLogStore log,
    IDeploymentSignal signal,
    IRunningDeployments running,
    IClusterLocks locks,
    IRemoteCancellation remote,
    TimeProvider clock)
{
    private static readonly DeploymentStatus[] Active = [DeploymentStatus.Queued, DeploymentStatus.InProgress];

    public async Task<EnqueueResult> EnqueueAsync(DeploymentTarget target, DeploymentRequest request, CancellationToken cancellationToken)
    {
        var commit = !string.IsNullOrEmpty(request.Commit) ? request.Commit
            : !string.IsNullOrEmpty(target.DefaultCommit) ? target.DefaultCommit
            : "HEAD";
        EnqueueResult result;
        await using (await locks.AcquireAsync(ClusterLockScope.ServerQueue, target.ServerId, cancellationToken))
        {
            result = await EnqueueLockedAsync(target, request, commit, cancellationToken);
        }

        if (result.Outcome == EnqueueOutcome.Queued)
        {
            signal.Notify();
        }

        return result;
    }

    private async Task<EnqueueResult> EnqueueLockedAsync(DeploymentTarget target, DeploymentRequest request, string commit, CancellationToken cancellationToken)
    {
        // A retried trigger (CI clients retry POST /deploy) gets the deployment it already caused.
        if (!request.ForceRebuild && !request.Rollback)
        {
            var existing = await store.FindActiveDuplicateAsync(target.ApplicationId, commit, request.PullRequestId, cancellationToken);
            if (existing is not null)
            {
                return new EnqueueResult(EnqueueOutcome.Duplicate, existing);
            }
        }

        if (await store.CountQueuedAsync(target.ServerId, cancellationToken) >= target.ServerQueueLimit)
        {
            return new EnqueueResult(EnqueueOutcome.QueueFull, null);
        }

        var now = Timestamps.Now(clock);
        var uuid = PublicId.New();
        var deployment = new Deployment
        {
            Uuid = uuid,
            ApplicationId = target.ApplicationId,
            TeamId = target.TeamId,
            ServerId = target.ServerId,
            PullRequestId = request.PullRequestId,
            ForceRebuild = request.ForceRebuild,
            Commit = commit,
            CommitMessage = request.CommitMessage,
            Status = DeploymentStatus.Queued,
            IsWebhook = request.IsWebhook,
            IsApi = request.IsApi,
            RestartOnly = request.RestartOnly,
            Rollback = request.Rollback,
            GitType = request.GitType,
            ApplicationName = target.ApplicationName,
            ServerName = target.ServerName,
            // Each server has exactly one Docker destination; it shares the server's id.
            DestinationId = target.ServerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            DeploymentUrl = $"/project/{target.ProjectUuid}/environment/{target.EnvironmentUuid}/application/{target.ApplicationUuid}/deployment/{uuid}",
            CreatedAt = now,
            UpdatedAt = now,
        };
        await store.AddAsync(deployment, cancellationToken);
        if (request.StartedBy is { } who)
        {
            // Stored before the scheduler is told, so it is the log's first line; completed, so no follower waits on it.
            await log.AppendAsync(deployment.Id, [LogLine.Info($"Started by {who}.")], cancellationToken);
            await log.CompleteAsync(deployment.Id, cancellationToken);
        }

        return new EnqueueResult(EnqueueOutcome.Queued, deployment);
    }

    /// <summary>
    /// Cancels a queued or running deployment: the status flips atomically, the reason is logged, and a running
    /// deployment's work is stopped — here, or by the instance that runs it, which then writes the reason. False
    /// when it had already ended.
    /// </summary>
    public async Task<bool> CancelAsync(Deployment deployment, string reason, CancellationToken cancellationToken)
    {
        var now = Timestamps.Now(clock);
        // Held before the status flips, so live followers wait for the reason line instead of stopping at the status.
        using var open = log.KeepOpen(deployment.Id);
        // One conditional update: a claim (queued to in_progress) and a cancel cannot both win.
        if (!await store.TryTransitionAsync(deployment.Id, Active, DeploymentStatus.CancelledByUser, now, cancellationToken))
        {
            return false;
        }

        if (await remote.TryCancelElsewhereAsync(deployment.Id, reason, cancellationToken))
        {
            // Its log has one writer, the instance that runs it: that instance writes the reason and completes the log.
            return true;
        }

        await CancelHereAsync(deployment.Id, reason, cancellationToken);
        return true;
    }

    /// <summary>
    /// The second half of a cancel, on the instance that runs the deployment (or any, when nothing runs it): writes
    /// the reason and stops the run, which then writes how it stopped and completes the log.
    /// </summary>
    public async Task CancelHereAsync(long deploymentId, string reason, CancellationToken cancellationToken)
    {
        await log.AppendAsync(deploymentId, [LogLine.Error(reason)], cancellationToken);
        if (running.TryCancel(deploymentId, reason))
        {
            // The run writes how it stopped, then completes the log itself.
            await log.FlushAsync(deploymentId, cancellationToken);
        }
        else
        {
            // Nothing runs it here (it was queued): this line is the last of its log.
            await log.CompleteAsync(deploymentId, cancellationToken);
        }

        signal.Notify();
    }
}
