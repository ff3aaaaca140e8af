using System.Globalization;
using System.Text.Json;
using Slipway.Core.Applications;
using Slipway.Core.Previews;
using Slipway.Core.Routing;
using Slipway.Core.Validation;

namespace Slipway.Core.Proxy;

/// <summary>An application of the server with its previews, as stored.</summary>
public sealed record RoutedApplication(Application Application, IReadOnlyList<ApplicationPreview> Previews);

/// <summary>
/// Turns a server's stored proxy settings, applications and previews into a <see cref="ProxyPlan"/>, checking every
/// value again on the way (a row may predate a rule or have been edited in the database): what fails is left out
/// and named in <see cref="ProxyPlan.Problems"/>, never passed on. Pure: no I/O.
/// </summary>
public static class ProxyPlanner
{
    public static ProxyPlan Plan(ServerProxy settings, IEnumerable<RoutedApplication> applications)
    {
        var problems = new List<string>();
        var (httpPort, httpsPort, adminPort) = Ports(settings, problems);
        var redirectUrl = settings.RedirectEnabled && settings.RedirectUrl is { } url ? Checked(url, ProxyRules.CheckRedirectUrl, "redirect_url", problems) : null;
        var acme = new AcmeIssuer(
            Checked(settings.AcmeCaUrl, ProxyRules.CheckAcmeCaUrl, "acme_ca_url", problems) ?? ServerProxy.DefaultAcmeCaUrl,
            settings.AcmeEmail is { } email ? Checked(email, ProxyRules.CheckEmail, "acme_email", problems) : null,
            settings.AcmeCaRoot is null ? null : CaddyPaths.AcmeCaRoot);

        var routes = new List<ProxyRoute>();
        var claimed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var routed in applications.OrderBy(a => a.Application.Id))
        {
            AddApplication(routed, routes, claimed, problems);
        }

        var sorted = routes
            .OrderBy(r => r.Domain.Host, StringComparer.Ordinal)
            .ThenByDescending(r => r.Domain.Path.Length)
            .ThenBy(r => r.Domain.Path, StringComparer.Ordinal)
            .ToList();
        return new ProxyPlan(httpPort, httpsPort, adminPort, redirectUrl, acme, sorted, problems);
    }

    private static void AddApplication(RoutedApplication routed, List<ProxyRoute> routes, Dictionary<string, string> claimed, List<string> problems)
    {
        var app = routed.Application;
        var who = $"application {app.Uuid}";
        if (!DomainRules.TryParse(app.Fqdn, out var domains, out var domainError))
        {
            problems.Add($"The domains of {who} are not valid and are not routed: {domainError}");
            return;
        }

        if (domains.Count == 0 && routed.Previews.Count == 0)
        {
            return;
        }

        var options = Options(app, who, problems);
        var redirect = RedirectModes.Check(app.Redirect) is null ? app.Redirect : RedirectModes.Both;
        var hostNetwork = UsesHostNetwork(app);
        var exposed = PortRules.CheckExposes(app.PortsExposes) is null ? PortRules.ParseExposes(app.PortsExposes)[0] : (int?)null;
        var noIndex = DomainRules.ParseNoindexStored(app.NoindexDomains);
        foreach (var domain in domains)
        {
            var port = domain.Port ?? exposed;
            var upstream = port is { } p ? Upstream(app, hostNetwork, p) : null;
            var route = new ProxyRoute(domain, app.Uuid, 0, upstream, options, RedirectHost(domain.Host, redirect), noIndex.Contains(domain.Host));
            Claim(route, who, routes, claimed, problems);
        }

        foreach (var preview in routed.Previews.OrderBy(p => p.PullRequestId))
        {
            var previewWho = $"the preview of pull request #{preview.PullRequestId.ToString(CultureInfo.InvariantCulture)} of {who}";
            if (preview.Fqdn is null)
            {
                continue;
            }

            if (!DomainRules.TryParse(preview.Fqdn, out var previewDomains, out var previewError))
            {
                problems.Add($"The domain of {previewWho} is not valid and is not routed: {previewError}");
                continue;
            }

            foreach (var domain in previewDomains)
            {
                var upstream = PreviewUpstream(app, preview, hostNetwork, domain.Port ?? exposed);
                Claim(new ProxyRoute(domain, app.Uuid, preview.PullRequestId, upstream, options, redirectHost: null), previewWho, routes, claimed, problems);
            }
        }
    }

    private static void Claim(ProxyRoute route, string who, List<ProxyRoute> routes, Dictionary<string, string> claimed, List<string> problems)
    {
        if (claimed.TryGetValue(route.Domain.RouteKey, out var owner))
        {
            problems.Add($"The domain {route.Domain} of {who} is already routed to {owner}; it is left out.");
            return;
        }

        claimed[route.Domain.RouteKey] = who;
        routes.Add(route);
    }

    private static RouteOptions Options(Application app, string who, List<string> problems)
    {
        BasicAuth? auth = null;
        if (app.IsHttpBasicAuthEnabled)
        {
            if (BasicAuthRules.CheckUsername(app.HttpBasicAuthUsername) is null && BasicAuthRules.IsHash(app.HttpBasicAuthPasswordHash))
            {
                auth = new BasicAuth(app.HttpBasicAuthUsername!, app.HttpBasicAuthPasswordHash!);
            }
            else
            {
                // Fail closed: a protected application whose credentials cannot be used is not served at all.
                problems.Add($"The basic authentication of {who} is not valid: its routes answer 503 until it is fixed.");
                auth = BasicAuth.Unusable;
            }
        }

        return new RouteOptions(app.IsForceHttpsEnabled, app.IsGzipEnabled, app.IsStripprefixEnabled, auth);
    }

    /// <summary>
    /// The proxy reaches the application on the server's loopback: at the port itself on host networking, else at
    /// the host port a <c>ports_mappings</c> entry publishes it on. Without either it cannot be reached (yet).
    /// </summary>
    private static ProxyUpstream? Upstream(Application app, bool hostNetwork, int port)
    {
        if (hostNetwork)
        {
            return new ProxyUpstream(port);
        }

        // Rolled out without host ports: the serving container's first exposed port, published on the recorded port.
        if (string.IsNullOrWhiteSpace(app.PortsMappings) && app.ProxyUpstreamPort is >= 1 and <= 65535 && PortRules.CheckExposes(app.PortsExposes) is null
            && PortRules.ParseExposes(app.PortsExposes)[0] == port)
        {
            return new ProxyUpstream(app.ProxyUpstreamPort.Value, app.ProxyDrainingPort is >= 1 and <= 65535 ? app.ProxyDrainingPort : null);
        }

        if (string.IsNullOrWhiteSpace(app.PortsMappings) || PortRules.CheckMappings(app.PortsMappings) is not null)
        {
            return null;
        }

        foreach (var mapping in PortRules.Split(app.PortsMappings))
        {
            var (ip, hostPort, containerPort, udp) = PortRules.ParseMapping(mapping);
            if (!udp && containerPort == port && ip is null or "0.0.0.0" or "127.0.0.1")
            {
                return new ProxyUpstream(hostPort);
            }
        }

        return null;
    }

    /// <summary>
    /// On host networking a preview listens on a port of its own. Rolled out without host ports (the application has
    /// no <c>ports_mappings</c>), it is reached at its recorded 127.0.0.1 port, as production is; else not at all.
    /// </summary>
    private static ProxyUpstream? PreviewUpstream(Application app, ApplicationPreview preview, bool hostNetwork, int? port)
    {
        if (hostNetwork)
        {
            return preview.Port is >= 1 and <= 65535 ? new ProxyUpstream(preview.Port) : null;
        }

        var exposed = PortRules.CheckExposes(app.PortsExposes) is null ? PortRules.ParseExposes(app.PortsExposes)[0] : (int?)null;
        return string.IsNullOrWhiteSpace(app.PortsMappings) && preview.ProxyUpstreamPort is >= 1 and <= 65535 && port is not null && port == exposed
            ? new ProxyUpstream(preview.ProxyUpstreamPort.Value, preview.ProxyDrainingPort is >= 1 and <= 65535 ? preview.ProxyDrainingPort : null)
            : null;
    }

    private static bool UsesHostNetwork(Application app) =>
        DockerRunOptions.TryParse(app.CustomDockerRunOptions, out var options, out _) && options.Any(o => o.Name == "--network" && o.Value == "host");

    private static string? RedirectHost(string host, string mode) => mode switch
    {
        RedirectModes.Www when !host.StartsWith("www.", StringComparison.Ordinal) => "www." + host,
        RedirectModes.NonWww when host.StartsWith("www.", StringComparison.Ordinal) && host.Count(c => c == '.') >= 2 => host[4..],
        _ => null,
    };

    private static (int Http, int Https, int Admin) Ports(ServerProxy settings, List<string> problems)
    {
        int Port(int value, int fallback, string field)
        {
            if (ProxyRules.CheckPort(value, field) is null)
            {
                return value;
            }

            problems.Add($"The stored {field} {value.ToString(CultureInfo.InvariantCulture)} is not valid; {fallback.ToString(CultureInfo.InvariantCulture)} is used.");
            return fallback;
        }

        return (Port(settings.HttpPort, ServerProxy.DefaultHttpPort, "http_port"),
            Port(settings.HttpsPort, ServerProxy.DefaultHttpsPort, "https_port"),
            Port(settings.AdminPort, ServerProxy.DefaultAdminPort, "admin_port"));
    }

    private static string? Checked(string value, Func<string, string?> check, string field, List<string> problems)
    {
        if (check(value) is null)
        {
            return value;
        }

        problems.Add($"The stored {field} {JsonSerializer.Serialize(value.Length > 80 ? value[..80] : value)} is not valid and is not used.");
        return null;
    }
}
