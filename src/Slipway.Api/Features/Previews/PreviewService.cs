using Microsoft.EntityFrameworkCore;
using Slipway.Api.Features.Deployments;
using Slipway.Api.Features.Proxy;
using Slipway.Core.Applications;
using Slipway.Core.Cluster;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Previews;
using Slipway.Core.Proxy;
using Slipway.Core.Validation;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Previews;

/// <summary>
/// Creates, deploys and removes pull request previews. Creating one (limit check, port allocation, insert) runs
/// under the server's cluster-wide preview lock, so simultaneous deliveries for different pull requests, to any
/// instance, can neither exceed an application's preview limit nor be handed the same port; unique indexes back
/// both rules in the database.
/// </summary>
public sealed partial class PreviewService(
    IDbContextFactory<SlipwayDbContext> contexts,
    DeploymentQueue queue,
    IRunningDeployments running,
    IApplicationRuntime runtime,
    IProxyService proxies,
    PreviewOptions options,
    IClusterLocks locks,
    TimeProvider clock,
    ILogger<PreviewService> logger)
{
    public const string ClosedReason = "Deployment cancelled: Pull request closed.";

    /// <summary>Creates the preview when it does not exist yet (or refuses, with the reason), records the PR's head, then queues its deployment.</summary>
    public async Task<PreviewDeployment> DeployAsync(Application application, PreviewRequest request, CancellationToken cancellationToken)
    {
        var (preview, refusal) = await UpsertAsync(application, request, cancellationToken);
        if (preview is null)
        {
            return new PreviewDeployment(null, null, refusal);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var target = await DeploymentTargets.LoadAsync(db, application, cancellationToken);
        var result = await queue.EnqueueAsync(target, new DeploymentRequest
        {
            PullRequestId = request.PullRequestId,
            Commit = request.Commit,
            CommitMessage = request.CommitMessage,
            GitType = preview.GitType,
            IsWebhook = request.IsWebhook,
            IsApi = !request.IsWebhook,
            ForceRebuild = request.Force,
        }, cancellationToken);
        return new PreviewDeployment(preview, result, null);
    }

    /// <summary>
    /// Removes a pull request's preview: its queued and running deployments are cancelled (running ones given time
    /// to stop and undo their work), its containers and images removed, its record deleted. False when none existed.
    /// </summary>
    public async Task<PreviewRemoval> RemoveAsync(Application application, int pullRequestId, string reason, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var active = await db.Deployments.AsNoTracking()
            .Where(d => d.ApplicationId == application.Id && d.PullRequestId == pullRequestId
                && (d.Status == DeploymentStatus.Queued || d.Status == DeploymentStatus.InProgress))
            .ToListAsync(cancellationToken);
        var cancelled = new List<string>();
        foreach (var deployment in active)
        {
            if (await queue.CancelAsync(deployment, reason, cancellationToken))
            {
                cancelled.Add(deployment.Uuid);
            }
        }

        foreach (var deployment in active)
        {
            if (!await running.WaitUntilStoppedAsync(deployment.Id, options.StopTimeout, cancellationToken))
            {
                LogSlowStop(logger, deployment.Uuid, options.StopTimeout.TotalSeconds);
            }
        }

        await runtime.RemovePreviewAsync(application, pullRequestId, cancellationToken);
        var deleted = await db.ApplicationPreviews
            .Where(p => p.ApplicationId == application.Id && p.PullRequestId == pullRequestId)
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            await ProxyTriggers.RoutingChangedAsync(db, proxies, [application.ServerId], cancellationToken);
        }

        return new PreviewRemoval(deleted > 0, cancelled);
    }

    private async Task<(ApplicationPreview? Preview, string? Refusal)> UpsertAsync(Application application, PreviewRequest request, CancellationToken cancellationToken)
    {
        await using (await locks.AcquireAsync(ClusterLockScope.ServerPreviews, application.ServerId, cancellationToken))
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var now = Timestamps.Now(clock);
            var preview = await db.ApplicationPreviews
                .FirstOrDefaultAsync(p => p.ApplicationId == application.Id && p.PullRequestId == request.PullRequestId, cancellationToken);
            var created = preview is null;
            if (preview is null)
            {
                var existing = await db.ApplicationPreviews.CountAsync(p => p.ApplicationId == application.Id, cancellationToken);
                if (existing >= application.PreviewDeploymentsLimit)
                {
                    return (null, $"Preview limit reached: {existing} of {application.PreviewDeploymentsLimit} previews exist "
                        + "(preview_deployments_limit); close a pull request or raise the limit.");
                }

                var port = await AllocatePortAsync(db, application.ServerId, cancellationToken);
                if (port is null)
                {
                    return (null, $"No free preview port in {options.PortRangeStart}-{options.PortRangeEnd} on this server (Slipway:Previews:PortRange*).");
                }

                preview = new ApplicationPreview
                {
                    Uuid = PublicId.New(),
                    ApplicationId = application.Id,
                    ServerId = application.ServerId,
                    PullRequestId = request.PullRequestId,
                    GitType = request.GitType,
                    Fqdn = PreviewAddress.Fqdn(application.Fqdn, application.PreviewUrlTemplate, request.PullRequestId),
                    Port = port.Value,
                    CreatedAt = now,
                };
                db.ApplicationPreviews.Add(preview);
            }

            preview.PullRequestHtmlUrl = SafeUrl(request.HtmlUrl) ?? preview.PullRequestHtmlUrl;
            preview.SourceRef = request.SourceRef ?? preview.SourceRef;
            preview.Commit = request.Commit;
            preview.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            if (created && preview.Fqdn is not null)
            {
                await ProxyTriggers.RoutingChangedAsync(db, proxies, [preview.ServerId], cancellationToken);
            }

            return (preview, null);
        }
    }

    /// <summary>The lowest port of the range that no preview on the server holds and no application there exposes.</summary>
    private async Task<int?> AllocatePortAsync(SlipwayDbContext db, long serverId, CancellationToken cancellationToken)
    {
        var taken = (await db.ApplicationPreviews.Where(p => p.ServerId == serverId).Select(p => p.Port).ToListAsync(cancellationToken)).ToHashSet();
        foreach (var exposes in await db.Applications.Where(a => a.ServerId == serverId).Select(a => a.PortsExposes).ToListAsync(cancellationToken))
        {
            foreach (var port in PortRules.Split(exposes))
            {
                if (PortRules.TryParsePort(port, out var number))
                {
                    taken.Add(number);
                }
            }
        }

        for (var port = Math.Max(options.PortRangeStart, 1); port <= Math.Min(options.PortRangeEnd, 65535); port++)
        {
            if (!taken.Contains(port))
            {
                return port;
            }
        }

        return null;
    }

    /// <summary>The pull request's page, kept only when it is a plain http(s) URL of reasonable length.</summary>
    private static string? SafeUrl(string? url) =>
        url is { Length: <= 2048 } && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? url : null;

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Deployment {DeploymentUuid} did not stop within {Seconds}s; removing its preview anyway.")]
    private static partial void LogSlowStop(ILogger logger, string deploymentUuid, double seconds);
}

/// <summary>What a preview deployment needs from its trigger.</summary>
public sealed record PreviewRequest(
    int PullRequestId,
    string Commit,
    string? CommitMessage,
    string? GitType,
    string? HtmlUrl,
    string? SourceRef,
    bool IsWebhook,
    bool Force = false);

/// <summary>The preview and what the queue said, or why no preview could be created.</summary>
public sealed record PreviewDeployment(ApplicationPreview? Preview, EnqueueResult? Queued, string? Refusal);

public sealed record PreviewRemoval(bool Existed, IReadOnlyList<string> CancelledDeployments);
