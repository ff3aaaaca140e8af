using System.Text.Json.Serialization;
using Slipway.Core.Common;
using Slipway.Core.Proxy;
using Slipway.Core.Servers;

namespace Slipway.Api.Features.Proxy;

/// <summary>
/// <c>GET /servers/{uuid}/proxy</c>: Coolify's fields (<c>configuration</c>, the rendered Caddy JSON, only for
/// <c>read:sensitive</c>), then Slipway's settings and what it knows of the running proxy: the certificates of its
/// HTTPS hosts, the last reconcile and any stored value that was left out of the config.
/// </summary>
public sealed record ServerProxyResponse(
    string ProxyType,
    string? Status,
    bool RedirectEnabled,
    string? RedirectUrl,
    bool GenerateExactLabels,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Configuration,
    int HttpPort,
    int HttpsPort,
    int AdminPort,
    string Image,
    string? AcmeEmail,
    string AcmeCaUrl,
    string? AcmeCaRoot,
    string? StatusError,
    IReadOnlyList<CertificateResponse> Certificates,
    long ConfigGeneration,
    ReconcileResponse? LastReconcile,
    IReadOnlyList<string> Problems)
{
    public static ServerProxyResponse From(Server server, ProxyPlan plan, ProxyRuntimeStatus runtime, ProxyReconcileResult? last, bool sensitive)
    {
        var proxy = server.Proxy;
        return new ServerProxyResponse(
            proxy.Type,
            runtime.Status,
            proxy.RedirectEnabled,
            proxy.RedirectUrl,
            GenerateExactLabels: true,
            sensitive ? CaddyConfigRenderer.ToJson(CaddyConfigRenderer.Render(plan)) : null,
            proxy.HttpPort,
            proxy.HttpsPort,
            proxy.AdminPort,
            proxy.Image,
            proxy.AcmeEmail,
            proxy.AcmeCaUrl,
            proxy.AcmeCaRoot,
            runtime.Error,
            runtime.Certificates.Select(c => new CertificateResponse(c.Domain, c.Status, c.Issuer, c.NotAfter is { } notAfter ? Timestamps.ToWire(notAfter.UtcDateTime) : null, c.Error)).ToList(),
            proxy.ConfigGeneration,
            last is null ? null : new ReconcileResponse(last.Outcome.ToString().ToLowerInvariant(), last.Generation, last.Message, Timestamps.ToWire(last.At.UtcDateTime)),
            plan.Problems);
    }
}

public sealed record CertificateResponse(string Domain, string Status, string? Issuer, string? NotAfter, string? Error);

public sealed record ReconcileResponse(string Outcome, long Generation, string Message, string At);

/// <summary>One entry of <c>GET /servers/{uuid}/domains</c>: the server's IP and the host names routed to it.</summary>
public sealed record ServerDomainsResponse(string Ip, IReadOnlyList<string> Domains);
