using Slipway.Infrastructure.Deployments;

namespace Slipway.Api.Features.Deployments;

/// <summary>
/// One follower's subscription to a deployment's <see cref="DeploymentLogFeed"/>. Notifications only set flags and
/// wake the follower, which then reads from the database, so nothing piles up in memory however slow it is.
/// Create it before the first read: a change stored between that read and the first wait is not lost.
/// </summary>
internal sealed class DeploymentWatch : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly IDisposable _subscription;
    private int _changes;

    public DeploymentWatch(DeploymentLogFeed feed, long deploymentId) => _subscription = feed.Subscribe(deploymentId, OnChange);

    /// <summary>The changes since the previous call, waiting up to <paramref name="timeout"/> for one; <see cref="DeploymentChange.None"/> when none came.</summary>
    public async Task<DeploymentChange> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changes = (DeploymentChange)Interlocked.Exchange(ref _changes, 0);
            if (changes != DeploymentChange.None)
            {
                // The wake-up that came with these changes is consumed too; later changes set the flags again.
                _wake.Wait(0, CancellationToken.None);
                return changes;
            }

            if (!await _wake.WaitAsync(timeout, cancellationToken))
            {
                return DeploymentChange.None;
            }
        }
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _wake.Dispose();
    }

    private void OnChange(DeploymentChange change)
    {
        Interlocked.Or(ref _changes, (int)change);
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another notification woke it first.
            }
            catch (ObjectDisposedException)
            {
                // The follower left between the notification and now.
            }
        }
    }
}
