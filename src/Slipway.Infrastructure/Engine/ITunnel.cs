namespace Slipway.Infrastructure.Engine;

/// <summary>An open tunnel: a local port that reaches the remote address until disposed.</summary>
public interface ITunnel : IAsyncDisposable
{
    int LocalPort { get; }
}
