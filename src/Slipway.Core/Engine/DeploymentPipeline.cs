using System.Diagnostics;
using System.Globalization;

using Slipway.Core.Cluster;

namespace Slipway.Core.Engine;

/// <summary>
/// Runs steps in order, each under a logged header with its duration (Dokku's <c>-----&gt;</c>, Kamal's runtime).
/// On the first failure — including cancellation — the compensations of the steps that ran are run in reverse
/// with a fresh token, so a half-started new container is removed and the old one keeps serving. Before each step
/// the run's lease is checked (<see cref="DeploymentContext.EnsureLeaseHeld"/>; the steps check the row too before
/// each side effect others can see); a run that lost it to another instance undoes nothing: the instance that took
/// over has cleaned up, and compensating now would race it.
/// </summary>
public static class DeploymentPipeline
{
    public static readonly TimeSpan CompensationBudget = TimeSpan.FromMinutes(2);

    public static async Task RunAsync(DeploymentContext context, IReadOnlyList<IDeploymentStep> steps, CancellationToken cancellationToken)
    {
        var ran = new Stack<ICompensatingStep>();
        try
        {
            foreach (var step in steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                context.EnsureLeaseHeld();
                await context.Log.StepAsync(step.Title);
                var started = Stopwatch.GetTimestamp();
                if (step is ICompensatingStep compensating)
                {
                    // Registered before it runs: a step that fails half-way still gets to undo its half.
                    ran.Push(compensating);
                }

                await step.ExecuteAsync(context, cancellationToken);
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                await context.Log.InfoAsync($"       done in {seconds.ToString("0.0", CultureInfo.InvariantCulture)}s");
            }
        }
        catch (Exception ex) when (ex is not DeploymentFencedException && context.Fence.Holds(context.Deployment.InstanceGeneration))
        {
            using var budget = new CancellationTokenSource(CompensationBudget);
            while (ran.TryPop(out var step))
            {
                try
                {
                    await step.CompensateAsync(context, budget.Token);
                }
                catch (Exception error)
                {
                    await context.Log.ErrorAsync($"Undoing '{step.Title}' failed: {error.Message}");
                }
            }

            throw;
        }
    }
}
