using System.Threading.Channels;
using Slipway.Core.Deployments;

namespace Slipway.Core.Engine;

/// <summary>
/// The scheduler's wake-up: a one-slot channel. Many notifications while the scheduler is busy collapse into
/// one more pass, which then sees every change in the database.
/// </summary>
public sealed class DeploymentSignal : IDeploymentSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Notify() => _channel.Writer.TryWrite(true);

    public async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        var ready = await _channel.Reader.WaitToReadAsync(cancellationToken);
        _channel.Reader.TryRead(out _);
        return ready;
    }
}
