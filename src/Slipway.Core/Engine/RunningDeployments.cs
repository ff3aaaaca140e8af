using System.Collections.Concurrent;
using Slipway.Core.Deployments;

namespace Slipway.Core.Engine;

/// <summary>The deployments running in this process, each with the token that stops it and why it was stopped.</summary>
public sealed class RunningDeployments : IRunningDeployments
{
    private readonly ConcurrentDictionary<long, Run> _runs = new();

    public int Count => _runs.Count;

    public bool TryCancel(long deploymentId, string reason)
    {
        if (!_runs.TryGetValue(deploymentId, out var run))
        {
            return false;
        }

        run.Stop(StopReason.Cancelled, reason);
        return true;
    }

    public async Task<bool> WaitUntilStoppedAsync(long deploymentId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_runs.TryGetValue(deploymentId, out var run))
        {
            return true;
        }

        try
        {
            await run.Completion.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void CancelAll(string reason)
    {
        foreach (var run in _runs.Values)
        {
            run.Stop(StopReason.Shutdown, reason);
        }
    }

    /// <summary>Stops every run here because this instance lost its lease: another instance owns their deployments now.</summary>
    public void FenceAll(string reason)
    {
        foreach (var run in _runs.Values)
        {
            run.Stop(StopReason.Fenced, reason);
        }
    }

    internal Run Add(long deploymentId, TimeSpan timeout, TimeProvider clock, CancellationToken stopping)
    {
        var run = new Run(timeout, clock, stopping);
        _runs[deploymentId] = run;
        return run;
    }

    internal void Remove(long deploymentId)
    {
        if (_runs.TryRemove(deploymentId, out var run))
        {
            run.Dispose();
        }
    }

    internal Task WhenAllStoppedAsync() => Task.WhenAll(_runs.Values.Select(r => r.Completion));

    public enum StopReason
    {
        None,
        Cancelled,
        TimedOut,
        Shutdown,

        /// <summary>This instance lost its lease; the run's deployment was taken over and must not be touched.</summary>
        Fenced,
    }

    internal sealed class Run : IDisposable
    {
        private readonly CancellationTokenSource _timeout;
        private readonly CancellationTokenSource _stop;
        private readonly CancellationTokenSource _linked;
        private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Run(TimeSpan timeout, TimeProvider clock, CancellationToken stopping)
        {
            _timeout = new CancellationTokenSource(timeout, clock);
            _stop = new CancellationTokenSource();
            _linked = CancellationTokenSource.CreateLinkedTokenSource(_timeout.Token, _stop.Token, stopping);
        }

        public CancellationToken Token => _linked.Token;

        public StopReason Reason { get; private set; }

        public string? Message { get; private set; }

        public Task Completion => _completion.Task;

        /// <summary>Why the run ended early, decided once: the first reason wins.</summary>
        public StopReason ResolveReason(bool stopping)
        {
            if (Reason == StopReason.None)
            {
                Reason = _timeout.IsCancellationRequested ? StopReason.TimedOut : stopping ? StopReason.Shutdown : StopReason.None;
            }

            return Reason;
        }

        public void Stop(StopReason reason, string message)
        {
            if (Reason == StopReason.None)
            {
                Reason = reason;
                Message = message;
            }

            _stop.Cancel();
        }

        public void MarkCompleted() => _completion.TrySetResult();

        public void Dispose()
        {
            _linked.Dispose();
            _stop.Dispose();
            _timeout.Dispose();
        }
    }
}
