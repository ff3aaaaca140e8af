using Slipway.Core.Applications;
using Slipway.Core.Previews;
using Slipway.Core.Proxy;
using Slipway.Core.Routing;

namespace Slipway.Core.Tests.Proxy;

/// <summary>Stored rows as the proxy reads them, with fixed ids so renderings are stable.</summary>
internal static class ProxyFixtures
{
    /// <summary>A bcrypt hash of "s3cret" (from <c>caddy hash-password</c>), fixed so snapshots do not change with each salt.</summary>
    public const string PasswordHash = "$2a$14$LKGy9l.YTFiC.GNb8guk/eHggzWAwf/.RZOafyBKE4jbxhDp2wGaq";

    public static ServerProxy ProxySettings(Action<ServerProxy>? change = null)
    {
        var settings = new ServerProxy { Type = ProxyTypes.Caddy, HttpPort = 8080, HttpsPort = 8443, AdminPort = 2099 };
        change?.Invoke(settings);
        return settings;
    }

    public static Application App(long id, string? fqdn, Action<Application>? change = null)
    {
        var app = new Application
        {
            Id = id,
            Uuid = "app" + id.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(3, '0'),
            Name = "app " + id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Fqdn = fqdn,
            PortsExposes = "3000",
            CustomDockerRunOptions = "--network host",
            IsGzipEnabled = false,
            IsStripprefixEnabled = false,
            IsForceHttpsEnabled = false,
            Redirect = RedirectModes.Both,
        };
        change?.Invoke(app);
        return app;
    }

    public static RoutedApplication Routed(Application app, params ApplicationPreview[] previews) => new(app, previews);

    public static ApplicationPreview Preview(int pullRequest, string? fqdn, int port) =>
        new() { Uuid = "preview" + pullRequest.ToString(System.Globalization.CultureInfo.InvariantCulture), PullRequestId = pullRequest, Fqdn = fqdn, Port = port };

    public static string Render(ServerProxy settings, params RoutedApplication[] applications) =>
        CaddyConfigRenderer.ToJson(CaddyConfigRenderer.Render(ProxyPlanner.Plan(settings, applications)));
}
