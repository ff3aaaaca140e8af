using Slipway.Api.Http;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Deployments;

namespace Slipway.Api.Features.Deployments;

/// <summary>
/// <c>GET /deployments/{uuid}?wait=SECONDS&amp;status=SEEN</c> (beyond Coolify, which ignores both): a long-poll
/// that answers as soon as the status is no longer <c>SEEN</c>, or after <c>SECONDS</c> (at most 60) with the
/// unchanged deployment. Without <c>status</c> the caller has seen nothing, so it answers at once.
/// </summary>
internal static class DeploymentWait
{
    public const int MaxSeconds = 60;

    public sealed record Request(TimeSpan Wait, DeploymentStatus? Seen);

    /// <summary>Null when the query asks for no waiting; otherwise what to wait for. Errors go into <paramref name="errors"/>.</summary>
    public static Request? Read(IQueryCollection query, ValidationErrors errors)
    {
        var seconds = QueryIntegers.Read(query["wait"], "wait", 0, 0, MaxSeconds, errors);
        DeploymentStatus? seen = null;
        if (query["status"].ToString() is { Length: > 0 } status)
        {
            seen = DeploymentStatuses.TryFromWire(status);
            if (seen is null)
            {
                errors.Add("status", $"The selected status is invalid. Use one of: {DeploymentStatuses.Queued}, {DeploymentStatuses.InProgress}, "
                    + $"{DeploymentStatuses.Finished}, {DeploymentStatuses.Failed}, {DeploymentStatuses.CancelledByUser}.");
            }
        }

        return seconds > 0 && seen is not null ? new Request(TimeSpan.FromSeconds(seconds), seen) : null;
    }

    /// <summary>Returns when the deployment's status differs from <see cref="Request.Seen"/> or the time is up.</summary>
    public static async Task WaitAsync(
        DeploymentLogFeed feed, SlipwayDbContext db, long deploymentId, Request request, TimeProvider clock, CancellationToken cancellationToken)
    {
        // Subscribed before reading: a change between the read and the wait still wakes us.
        using var watch = new DeploymentWatch(feed, deploymentId);
        var deadline = clock.GetUtcNow() + request.Wait;
        var change = DeploymentChange.Row;
        while (true)
        {
            if (change.HasFlag(DeploymentChange.Row))
            {
                var status = await DeploymentLogReads.StatusAsync(db, deploymentId);
                if (status != request.Seen)
                {
                    return;
                }
            }

            var remaining = deadline - clock.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            // Log rows alone do not change the status; only row changes (or the deadline) need a read.
            change = await watch.WaitAsync(remaining, cancellationToken);
        }
    }
}
