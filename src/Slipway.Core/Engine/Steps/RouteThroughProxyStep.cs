using System.Globalization;
using Slipway.Core.Proxy;
using Slipway.Core.Routing;
using Slipway.Core.Validation;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// The new container serves: the server's proxy is brought to the stored state now, by the same serialized,
/// generation-checked reconcile the API queues (so the run ends with its domains routed, also when the proxy was
/// recreated or lost its config meanwhile), then the certificate of each HTTPS domain is checked and logged. A proxy
/// that cannot be updated, or a certificate that cannot be issued, is an error line: the deployment still stands,
/// since the container is healthy and its route (a loopback port) is the one the proxy already had.
/// </summary>
public sealed class RouteThroughProxyStep : IDeploymentStep
{
    public string Title => "Routing domains through the proxy";

    /// <summary>The domains this run serves: the application's, or its preview's for a pull request.</summary>
    public static IReadOnlyList<ApplicationDomain> Domains(DeploymentContext context) =>
        DomainRules.ParseStored(context.Deployment.PullRequestId == 0 ? context.Application.Fqdn : context.Work.Preview?.Fqdn);

    /// <summary>Planned only when the server runs a proxy and the run has domains for it.</summary>
    public static bool Applies(DeploymentContext context) => context.Server.Proxy.IsEnabled && Domains(context).Count > 0;

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var domains = Domains(context);
        var result = await context.Proxy.ReconcileAsync(context.Server.Id, cancellationToken);
        if (!result.Succeeded)
        {
            await context.Log.ErrorAsync($"The proxy could not be updated: {result.Message} The container runs; GET /api/v1/servers/{context.Server.Uuid}/proxy shows the proxy's state.");
            return;
        }

        await context.Log.InfoAsync($"Proxy: {result.Message}");
        await context.Log.InfoAsync($"Routed: {string.Join(", ", domains)}.");
        var https = domains.Where(d => d.IsHttps).Select(d => d.Host).Distinct(StringComparer.Ordinal).ToList();
        if (https.Count == 0)
        {
            return;
        }

        var statuses = await context.Proxy.WaitForCertificatesAsync(context.Server.Id, https, cancellationToken);
        foreach (var host in https)
        {
            await LogAsync(context, host, statuses.FirstOrDefault(s => s.Domain == host));
        }
    }

    private static async Task LogAsync(DeploymentContext context, string host, CertificateStatus? status)
    {
        switch (status?.Status)
        {
            case CertificateStates.Valid:
                var until = status.NotAfter is { } notAfter ? $" until {notAfter.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : string.Empty;
                await context.Log.InfoAsync($"Certificate for {host}: valid, issued by {status.Issuer}{until}.");
                break;
            case CertificateStates.Failed:
                var http = context.Application.IsForceHttpsEnabled ? "HTTP requests are redirected to HTTPS, which fails until it is issued" : "the application stays reachable over HTTP";
                await context.Log.ErrorAsync($"Certificate for {host} could not be obtained: {status.Error} ({http}; Caddy keeps retrying).");
                break;
            case CertificateStates.Pending:
                await context.Log.InfoAsync($"Certificate for {host}: still being obtained; GET /api/v1/servers/{context.Server.Uuid}/proxy shows when it is issued.");
                break;
            default:
                await context.Log.ErrorAsync($"{host} is not served over HTTPS by the proxy: GET /api/v1/servers/{context.Server.Uuid}/proxy names the stored values it left out.");
                break;
        }
    }
}
