using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Slipway.Core.Proxy;
using Slipway.Core.Routing;
using static Slipway.Core.Tests.Proxy.ProxyFixtures;

namespace Slipway.Core.Tests.Proxy;

public sealed partial class CaddyConfigRendererTests
{
    [Fact]
    public void Render_NoApplications_IsTheAdminListenerAndTheCatchAll404() =>
        Snapshot.Match("empty", Render(ProxySettings()));

    [Fact]
    public void Render_HttpDomainsWithPathsAndPorts_RoutesEachToItsUpstream() =>
        Snapshot.Match("http-domains", Render(
            ProxySettings(),
            Routed(App(1, "http://app.example.com,http://app.example.com:4000/api", a => a.IsStripprefixEnabled = true)),
            Routed(App(2, "http://other.example.com", a =>
            {
                a.CustomDockerRunOptions = null;
                a.PortsMappings = "127.0.0.1:18080:3000";
            }))));

    [Fact]
    public void Render_HttpsWithEveryRoutingField_RendersCertificatesRedirectsAuthAndCompression() =>
        Snapshot.Match("https-routing", Render(
            ProxySettings(s =>
            {
                s.AcmeCaUrl = "https://127.0.0.1:14000/dir";
                s.AcmeEmail = "ops@example.com";
                s.AcmeCaRoot = "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n";
                s.RedirectUrl = "https://www.example.com/";
            }),
            Routed(App(1, "https://example.com,https://www.example.com", a =>
            {
                a.Redirect = RedirectModes.Www;
                a.IsForceHttpsEnabled = true;
                a.IsGzipEnabled = true;
            })),
            Routed(App(2, "https://secure.example.com", a =>
            {
                a.IsHttpBasicAuthEnabled = true;
                a.HttpBasicAuthUsername = "admin";
                a.HttpBasicAuthPasswordHash = PasswordHash;
            }))));

    [Fact]
    public void Render_PreviewsAndAnUnreachableApplication_GetTheirOwnRoutes() =>
        Snapshot.Match("previews", Render(
            ProxySettings(),
            Routed(App(1, "https://shop.example.com", a => a.IsForceHttpsEnabled = true), Preview(7, "https://7.shop.example.com", 40007)),
            Routed(App(2, "http://bridge.example.com", a => a.CustomDockerRunOptions = null))));

    [Fact]
    public void Render_Caddy27_KeepsProxiedStreamsOpenAcrossReloads() =>
        Snapshot.Match("stream-close-delay", Render(new CaddyVersion(2, 7, 6), ProxySettings(), Routed(App(1, "http://ws.example.com"))));

    [Fact]
    public void Render_Caddy26OrUnknown_HasNoStreamCloseDelay()
    {
        // Caddy 2.6 refuses a config with a field it does not know: the same plan renders as before 2.7.
        Snapshot.Match("no-stream-close-delay", Render(new CaddyVersion(2, 6, 2), ProxySettings(), Routed(App(1, "http://ws.example.com"))));
        Assert.Equal(Render(new CaddyVersion(2, 6, 2), ProxySettings(), Routed(App(1, "http://ws.example.com"))), Render(ProxySettings(), Routed(App(1, "http://ws.example.com"))));
    }

    [Theory]
    [InlineData("v2.7.6 h1:Ztq4bgQxhXVLz+0SJEr3Dm4yFm1ymPuvFcYJomuNiPg=", "2.7.6", true)]
    [InlineData("2.6.2\n", "2.6.2", false)]
    [InlineData("v2.10.0", "2.10.0", true)]
    [InlineData("v3.0.0-beta.1", "3.0.0", true)]
    [InlineData("caddy: not found", null, false)]
    [InlineData("", null, false)]
    public void CaddyVersion_Parse_ReadsCaddyVersionsOutput(string output, string? version, bool streamCloseDelay)
    {
        var parsed = CaddyVersion.Parse(output);
        Assert.Equal(version, parsed?.ToString());
        Assert.Equal(streamCloseDelay, parsed?.HasStreamCloseDelay ?? false);
    }

    [Fact]
    public void Render_NoindexDomains_SetXRobotsTagFirstOnTheListedDomainsRoutesOnly()
    {
        var app = App(1, "http://a.example.com,http://b.example.com", a =>
        {
            // A stored value the rules refuse (written straight to the database) is left out, never rendered.
            a.NoindexDomains = "b.example.com,c.example.com,{http.request.host},a.example.com\nx";
            a.IsGzipEnabled = true;
        });

        var rendered = Render(ProxySettings(), Routed(app));
        Assert.DoesNotContain("{http.request.host}", rendered, StringComparison.Ordinal);
        var routes = JsonNode.Parse(rendered)!["apps"]!["http"]!["servers"]![CaddyConfigRenderer.HttpServer]!["routes"]!.AsArray()
            .Where(r => r!["match"] is not null)
            .ToDictionary(r => r!["match"]![0]!["host"]![0]!.GetValue<string>(), r => r!["handle"]!.AsArray());

        Assert.Equal(["a.example.com", "b.example.com"], routes.Keys.Order());
        Assert.Equal(["encode", "reverse_proxy"], routes["a.example.com"].Select(h => h!["handler"]!.GetValue<string>()));
        Assert.Equal(["headers", "encode", "reverse_proxy"], routes["b.example.com"].Select(h => h!["handler"]!.GetValue<string>()));
        Assert.Equal("noindex, nofollow", routes["b.example.com"][0]!["response"]!["set"]!["X-Robots-Tag"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Render_SamePlanTwice_GivesTheSameBytes()
    {
        RoutedApplication[] apps = [Routed(App(2, "https://b.example.com,http://a.example.com/x")), Routed(App(1, "http://c.example.com"))];
        Assert.Equal(Render(ProxySettings(), apps), Render(ProxySettings(), apps.Reverse().ToArray()));
    }

    [Fact]
    public void Render_PathRoutes_ComeBeforeTheirHostsCatchAll()
    {
        var config = JsonNode.Parse(Render(ProxySettings(), Routed(App(1, "http://a.example.com")), Routed(App(2, "http://a.example.com/api/v2,http://a.example.com/api"))))!;
        var paths = config["apps"]!["http"]!["servers"]![CaddyConfigRenderer.HttpServer]!["routes"]!.AsArray()
            .Select(r => r!["match"]?[0]?["path"]?[0]?.GetValue<string>() ?? (r!["match"] is null ? "fallback" : "/"))
            .ToList();
        Assert.Equal(["/api/v2", "/api", "/", "fallback"], paths);
    }

    [Fact]
    public void Render_RolloutDraining_ListsTheOldUpstreamBehindTheNewWithPolicyFirst()
    {
        var app = ProxyFixtures.App(1, "http://shop.example.com", a =>
        {
            a.CustomDockerRunOptions = null;
            a.ProxyUpstreamPort = 21000;
            a.ProxyDrainingPort = 20500;
        });

        var proxy = ReverseProxy(ProxyFixtures.Render(ProxyFixtures.ProxySettings(), ProxyFixtures.Routed(app)));

        Assert.Equal(["127.0.0.1:21000", "127.0.0.1:20500"], proxy["upstreams"]!.AsArray().Select(u => u!["dial"]!.GetValue<string>()));
        Assert.Equal("first", proxy["load_balancing"]!["selection_policy"]!["policy"]!.GetValue<string>());

        app.ProxyDrainingPort = null;
        var settled = ReverseProxy(ProxyFixtures.Render(ProxyFixtures.ProxySettings(), ProxyFixtures.Routed(app)));
        Assert.Equal(["127.0.0.1:21000"], settled["upstreams"]!.AsArray().Select(u => u!["dial"]!.GetValue<string>()));
        Assert.Null(settled["load_balancing"]);

        // A recorded port is not used once the application is reached otherwise (published mappings).
        app.PortsMappings = "3001:3000";
        var mapped = ReverseProxy(ProxyFixtures.Render(ProxyFixtures.ProxySettings(), ProxyFixtures.Routed(app)));
        Assert.Equal(["127.0.0.1:3001"], mapped["upstreams"]!.AsArray().Select(u => u!["dial"]!.GetValue<string>()));
    }

    [Fact]
    public void Render_RolledOutPreview_GoesToItsRecordedPortWithItsOldOneDraining()
    {
        var app = ProxyFixtures.App(1, "http://shop.example.com", a =>
        {
            a.CustomDockerRunOptions = null;
            a.ProxyUpstreamPort = 21000;
        });
        var preview = ProxyFixtures.Preview(7, "http://7.shop.example.com", 40007);
        preview.ProxyUpstreamPort = 22000;
        preview.ProxyDrainingPort = 22500;

        var config = System.Text.Json.Nodes.JsonNode.Parse(ProxyFixtures.Render(ProxyFixtures.ProxySettings(), ProxyFixtures.Routed(app, preview)))!;
        var dials = config.DescendantsWithHandler("reverse_proxy").Select(p => string.Join(",", p["upstreams"]!.AsArray().Select(u => u!["dial"]!.GetValue<string>()))).ToList();

        // Sorted by host: 7.shop.example.com, then shop.example.com.
        Assert.Equal(["127.0.0.1:22000,127.0.0.1:22500", "127.0.0.1:21000"], dials);

        // With published ports the preview is not reached through a recorded port (its old fixed-name container is).
        app.PortsMappings = "3001:3000";
        var mapped = ProxyFixtures.Render(ProxyFixtures.ProxySettings(), ProxyFixtures.Routed(app, preview));
        Assert.DoesNotContain("22000", mapped, StringComparison.Ordinal);
    }

    private static System.Text.Json.Nodes.JsonNode ReverseProxy(string config) =>
        System.Text.Json.Nodes.JsonNode.Parse(config)!.DescendantsWithHandler("reverse_proxy").Single();

    [Fact]
    public void Render_StoredHostileValues_NeverReachTheConfig()
    {
        // Rows as an attacker with database access (or an older version) might have left them: the API would refuse each.
        var settings = ProxySettings(s =>
        {
            s.RedirectUrl = "https://x.example.com/{http.request.host}";
            s.AcmeEmail = "a{env.HOME}@example.com";
            s.AcmeCaUrl = "https://ca.example.com/\"dir";
        });
        var config = Render(
            settings,
            Routed(App(1, "https://{http.request.host},https://good.example.com")),
            Routed(App(2, "https://ok.example.com", a =>
            {
                a.IsHttpBasicAuthEnabled = true;
                a.HttpBasicAuthUsername = "intruder\"}]";
                a.HttpBasicAuthPasswordHash = "plain";
            })),
            Routed(App(3, "https://аpple.com")),
            Routed(App(4, "http://ok.example.com")));

        Assert.DoesNotContain("good.example.com", config, StringComparison.Ordinal);
        Assert.DoesNotContain("apple", config, StringComparison.Ordinal);
        Assert.DoesNotContain("intruder", config, StringComparison.Ordinal);
        Assert.DoesNotContain("env.HOME", config, StringComparison.Ordinal);
        Assert.DoesNotContain("ca.example.com", config, StringComparison.Ordinal);
        Assert.All(Placeholder().Matches(config).Select(m => m.Value), p => Assert.Contains(p, new[] { "{http.request.host}", "{http.request.uri}" }));
        var plan = ProxyPlanner.Plan(settings, [Routed(App(1, "https://{http.request.host}")), Routed(App(2, "https://ok.example.com", a =>
        {
            a.IsHttpBasicAuthEnabled = true;
            a.HttpBasicAuthUsername = "intruder\"}]";
        }))]);
        Assert.Equal(5, plan.Problems.Count);
        Assert.Contains(plan.Routes, r => r.Domain.Host == "ok.example.com" && r.Options.BasicAuth is { IsUsable: false });
    }

    [Fact]
    public void Render_ProtectedApplicationWithUnusableCredentials_Answers503InsteadOfServing()
    {
        var config = Render(ProxySettings(), Routed(App(1, "http://locked.example.com", a => a.IsHttpBasicAuthEnabled = true)));
        Assert.Contains("\"status_code\": 503", config, StringComparison.Ordinal);
        Assert.DoesNotContain("reverse_proxy", config, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_DomainRoutedTwice_GoesToTheFirstApplicationAndTheOtherIsReported()
    {
        var plan = ProxyPlanner.Plan(ProxySettings(), [Routed(App(2, "https://a.example.com")), Routed(App(1, "http://A.example.com/"))]);
        var route = Assert.Single(plan.Routes);
        Assert.Equal("app001", route.ApplicationUuid);
        Assert.Contains("already routed to application app001", Assert.Single(plan.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("example.com", RedirectModes.Www, "www.example.com")]
    [InlineData("www.example.com", RedirectModes.Www, null)]
    [InlineData("www.example.com", RedirectModes.NonWww, "example.com")]
    [InlineData("example.com", RedirectModes.NonWww, null)]
    [InlineData("www.example.com", RedirectModes.Both, null)]
    public void Plan_Redirect_SendsTheWrongFormToTheRightOne(string host, string mode, string? target)
    {
        var plan = ProxyPlanner.Plan(ProxySettings(), [Routed(App(1, "https://" + host, a => a.Redirect = mode))]);
        Assert.Equal(target, Assert.Single(plan.Routes).RedirectHost);
    }

    [GeneratedRegex(@"\{[^{}""]*\}")]
    private static partial Regex Placeholder();
}

internal static class JsonHandlerSearch
{
    /// <summary>Every object in the config whose <c>handler</c> is <paramref name="handler"/>.</summary>
    public static IEnumerable<System.Text.Json.Nodes.JsonNode> DescendantsWithHandler(this System.Text.Json.Nodes.JsonNode node, string handler)
    {
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject obj:
                if (obj["handler"] is System.Text.Json.Nodes.JsonValue value && value.GetValue<string>() == handler)
                {
                    yield return obj;
                }

                foreach (var (_, child) in obj)
                {
                    foreach (var found in child is null ? [] : child.DescendantsWithHandler(handler))
                    {
                        yield return found;
                    }
                }

                break;
            case System.Text.Json.Nodes.JsonArray array:
                foreach (var child in array)
                {
                    foreach (var found in child is null ? [] : child.DescendantsWithHandler(handler))
                    {
                        yield return found;
                    }
                }

                break;
        }
    }
}
