using Slipway.Core.Proxy;
using Slipway.Core.Servers;

namespace Slipway.Core.Tests.Fakes;

/// <summary>An <see cref="IProxyService"/> that records what the engine asks and answers as told.</summary>
public sealed class RecordingProxy : IProxyService
{
    public List<string> Calls { get; } = [];

    public ProxyReconcileOutcome Outcome { get; set; } = ProxyReconcileOutcome.Pushed;

    public string Message { get; set; } = "Configuration generation 4 pushed.";

    public List<CertificateStatus> Certificates { get; } = [];

    /// <summary>Called at each reconcile (what else had happened by then).</summary>
    public Action? OnReconcile { get; set; }

    public Task<ProxyReconcileResult> ReconcileAsync(long serverId, CancellationToken cancellationToken)
    {
        Calls.Add($"reconcile {serverId}");
        OnReconcile?.Invoke();
        return Task.FromResult(new ProxyReconcileResult(Outcome, 4, Message, DateTimeOffset.UnixEpoch));
    }

    public Task<ProxyReconcileResult> RestartAsync(long serverId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public void RequestReconcile(long serverId, bool restart = false) => Calls.Add($"request {serverId}");

    public ProxyReconcileResult? LastResult(long serverId) => null;

    public Task<ProxyRuntimeStatus> InspectAsync(Server server, ProxyPlan plan, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <summary>What <see cref="InFlightAsync"/> answers, one value per call (the last repeats).</summary>
    public Queue<int?> InFlight { get; } = new([0]);

    public Task<int?> InFlightAsync(long serverId, int port, CancellationToken cancellationToken)
    {
        Calls.Add($"in-flight {serverId} {port}");
        return Task.FromResult(InFlight.Count > 1 ? InFlight.Dequeue() : InFlight.Peek());
    }

    public Task<IReadOnlyList<CertificateStatus>> WaitForCertificatesAsync(long serverId, IReadOnlyCollection<string> hosts, CancellationToken cancellationToken)
    {
        Calls.Add($"certificates {serverId} {string.Join(",", hosts)}");
        return Task.FromResult<IReadOnlyList<CertificateStatus>>(Certificates.Where(c => hosts.Contains(c.Domain)).ToList());
    }
}
