namespace Slipway.Core.Deployments;

/// <summary>Wakes the scheduler when a deployment was queued or a slot was freed (a signal, not a poll).</summary>
public interface IDeploymentSignal
{
    void Notify();
}
