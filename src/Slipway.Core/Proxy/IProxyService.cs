using Slipway.Core.Servers;

namespace Slipway.Core.Proxy;

/// <summary>
/// Keeps each server's proxy in the state the database describes. The API calls it after changes that affect
/// routing (settings, domains, previews) and for <c>proxy/restart</c>; the engine calls it after it changes where an
/// application is reachable. Reconciles of one server run one at a time and a stale one never replaces a newer config.
/// </summary>
public interface IProxyService
{
    /// <summary>Brings the server's proxy to its stored state now: container, files in its volume, then the config.</summary>
    Task<ProxyReconcileResult> ReconcileAsync(long serverId, CancellationToken cancellationToken);

    /// <summary>Creates the proxy container anew (same volume: certificates and config are kept), then reconciles.</summary>
    Task<ProxyReconcileResult> RestartAsync(long serverId, CancellationToken cancellationToken);

    /// <summary>Queues a reconcile in the background; requests that arrive while one runs are folded into one more run.</summary>
    void RequestReconcile(long serverId, bool restart = false);

    /// <summary>The outcome of the server's last reconcile in this process, if any.</summary>
    ProxyReconcileResult? LastResult(long serverId);

    /// <summary>The proxy container's state (<c>running</c>, <c>exited</c>, <c>missing</c>, …) and the certificates of the plan's HTTPS hosts.</summary>
    Task<ProxyRuntimeStatus> InspectAsync(Server server, ProxyPlan plan, CancellationToken cancellationToken);

    /// <summary>
    /// The certificates of those of <paramref name="hosts"/> that the server's proxy serves over HTTPS, asked again
    /// until none is <c>pending</c> or <see cref="ProxyOptions.CertificateWait"/> has passed (what a deployment logs
    /// once its domains are routed). Hosts the proxy does not route over HTTPS are left out.
    /// </summary>
    Task<IReadOnlyList<CertificateStatus>> WaitForCertificatesAsync(long serverId, IReadOnlyCollection<string> hosts, CancellationToken cancellationToken);

    /// <summary>
    /// The requests the server's proxy has in flight to the upstream on the server's 127.0.0.1:<paramref name="port"/>
    /// (0 when Caddy no longer lists it); null when the admin API does not answer.
    /// </summary>
    Task<int?> InFlightAsync(long serverId, int port, CancellationToken cancellationToken);
}

public enum ProxyReconcileOutcome
{
    /// <summary>The proxy is off (<c>NONE</c>): its container was removed if there was one.</summary>
    Disabled,

    /// <summary>Caddy already runs exactly this config: nothing was pushed.</summary>
    Unchanged,

    /// <summary>The config was pushed.</summary>
    Pushed,

    /// <summary>A newer reconcile had already pushed: this one was dropped.</summary>
    Stale,

    Failed,
}

public sealed record ProxyReconcileResult(ProxyReconcileOutcome Outcome, long Generation, string Message, DateTimeOffset At)
{
    public bool Succeeded => Outcome != ProxyReconcileOutcome.Failed;
}

/// <summary>What is running: the container's state (null when it could not be asked) and each HTTPS host's certificate.</summary>
public sealed record ProxyRuntimeStatus(string? Status, string? Error, IReadOnlyList<CertificateStatus> Certificates);

/// <summary>
/// An HTTPS host's certificate: <c>valid</c> (served, naming the host), <c>pending</c> (being obtained) or
/// <c>failed</c> (the last attempt failed; <see cref="Error"/> says why, from Caddy's log).
/// </summary>
public sealed record CertificateStatus(string Domain, string Status, string? Issuer, DateTimeOffset? NotAfter, string? Error);

/// <summary>The values of <see cref="CertificateStatus.Status"/>.</summary>
public static class CertificateStates
{
    public const string Valid = "valid";
    public const string Pending = "pending";
    public const string Failed = "failed";
}
