using Slipway.Core.Proxy;
using Slipway.Core.Servers;

namespace Slipway.Infrastructure.Proxy;

/// <summary>
/// The proxy service of a host without the engine (it only queues deployments, like the API tests' host): settings
/// are stored and rendered, but nothing runs on any server.
/// </summary>
internal sealed class IdleProxy(TimeProvider clock) : IProxyService
{
    private const string Message = "The deployment engine is off in this Slipway process: proxies are not managed.";

    public Task<ProxyReconcileResult> ReconcileAsync(long serverId, CancellationToken cancellationToken) =>
        Task.FromResult(new ProxyReconcileResult(ProxyReconcileOutcome.Failed, 0, Message, clock.GetUtcNow()));

    public Task<ProxyReconcileResult> RestartAsync(long serverId, CancellationToken cancellationToken) => ReconcileAsync(serverId, cancellationToken);

    public void RequestReconcile(long serverId, bool restart = false)
    {
    }

    public ProxyReconcileResult? LastResult(long serverId) => null;

    public Task<ProxyRuntimeStatus> InspectAsync(Server server, ProxyPlan plan, CancellationToken cancellationToken) =>
        Task.FromResult(new ProxyRuntimeStatus(null, Message, []));

    public Task<int?> InFlightAsync(long serverId, int port, CancellationToken cancellationToken) => Task.FromResult<int?>(null);

    public Task<IReadOnlyList<CertificateStatus>> WaitForCertificatesAsync(long serverId, IReadOnlyCollection<string> hosts, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CertificateStatus>>([]);
}
