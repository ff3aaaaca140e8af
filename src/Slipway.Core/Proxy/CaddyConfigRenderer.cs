using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slipway.Core.Proxy;

/// <summary>
/// Renders a <see cref="ProxyPlan"/> as Caddy's JSON config: pure and deterministic (the same plan gives the same
/// bytes), so pushing an unchanged state changes nothing. Two servers: one on the HTTP port for every domain
/// (redirecting to HTTPS where forced) and, when any domain is <c>https://</c>, one on the HTTPS port whose hosts
/// get certificates from the plan's ACME CA. Each ends in Slipway's catch-all: unknown hosts get a 404 (Caddy has
/// none of its own) or the server's redirect. Values go through the JSON writer; placeholders in them are
/// impossible because the planner's rules refuse braces, and the only placeholders rendered are Slipway's own.
/// </summary>
public static class CaddyConfigRenderer
{
    public const string HttpServer = "slipway_http";
    public const string HttpsServer = "slipway_https";
    public const string NotFoundBody = "404 Not Found: no application on this server answers for this host.\n";

    /// <summary>
    /// How long a proxied stream (a WebSocket, a long poll) outlives the config reload that replaced its route. Each
    /// rollout reloads twice (switch, then drop the old upstream); without it, Caddy closes every stream at each reload.
    /// </summary>
    public const string StreamCloseDelay = "5m";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// Renders for the Caddy <paramref name="version"/> the server runs: fields later versions added are rendered only
    /// where it has them; an unknown version gets none (Caddy refuses a config with a field it does not know).
    /// </summary>
    public static JsonObject Render(ProxyPlan plan, CaddyVersion? version = null)
    {
        var servers = new JsonObject
        {
            [HttpServer] = new JsonObject
            {
                ["listen"] = new JsonArray(Listen(plan.HttpPort)),
                ["routes"] = Routes(plan, plan.Routes.Select(r => HttpRoute(plan, r, version))),
            },
        };
        var https = plan.Routes.Where(r => r.Domain.IsHttps).ToList();
        var apps = new JsonObject { ["http"] = new JsonObject { ["http_port"] = plan.HttpPort, ["https_port"] = plan.HttpsPort, ["servers"] = servers } };
        if (https.Count > 0)
        {
            servers[HttpsServer] = new JsonObject
            {
                ["listen"] = new JsonArray(Listen(plan.HttpsPort)),
                ["routes"] = Routes(plan, https.Select(r => HttpsRoute(plan, r, version))),
                // Redirects to HTTPS are rendered per domain (only where is_force_https_enabled), not Caddy's blanket ones.
                ["automatic_https"] = new JsonObject { ["disable_redirects"] = true },
            };
            apps["tls"] = Tls(plan);
        }

        return new JsonObject
        {
            ["admin"] = new JsonObject { ["listen"] = "127.0.0.1:" + Port(plan.AdminPort) },
            ["apps"] = apps,
        };
    }

    public static string ToJson(JsonNode config) => config.ToJsonString(Indented);

    private static string Listen(int port) => ":" + Port(port);

    private static JsonArray Routes(ProxyPlan plan, IEnumerable<JsonObject> routes)
    {
        var array = new JsonArray();
        foreach (var route in routes)
        {
            array.Add(route);
        }

        array.Add(new JsonObject { ["handle"] = new JsonArray(Fallback(plan)) });
        return array;
    }

    private static JsonObject Fallback(ProxyPlan plan) => plan.RedirectUrl is { } url
        ? new JsonObject
        {
            ["handler"] = "static_response",
            ["status_code"] = 302,
            ["headers"] = new JsonObject { ["Location"] = new JsonArray(url) },
        }
        : new JsonObject
        {
            ["handler"] = "static_response",
            ["status_code"] = 404,
            ["headers"] = new JsonObject { ["Content-Type"] = new JsonArray("text/plain; charset=utf-8") },
            ["body"] = NotFoundBody,
        };

    private static JsonObject HttpRoute(ProxyPlan plan, ProxyRoute route, CaddyVersion? version)
    {
        var domain = route.Domain;
        if (domain.IsHttps && route.Options.ForceHttps)
        {
            return Route(route, Redirect("https", route.RedirectHost, plan.HttpsPort));
        }

        return route.RedirectHost is { } target
            ? Route(route, Redirect("http", target, plan.HttpPort))
            : Route(route, Serve(route, version));
    }

    private static JsonObject HttpsRoute(ProxyPlan plan, ProxyRoute route, CaddyVersion? version) =>
        route.RedirectHost is { } target ? Route(route, Redirect("https", target, plan.HttpsPort)) : Route(route, Serve(route, version));

    private static JsonObject Route(ProxyRoute route, JsonArray handlers)
    {
        var match = new JsonObject { ["host"] = new JsonArray(route.Domain.Host) };
        if (route.Domain.Path.Length > 0)
        {
            match["path"] = new JsonArray(route.Domain.Path, route.Domain.Path + "/*");
        }

        return new JsonObject
        {
            ["match"] = new JsonArray(match),
            ["handle"] = handlers,
            ["terminal"] = true,
        };
    }

    /// <summary>308 keeps the method and body; the request's own host (or the www counterpart) and URI are kept.</summary>
    private static JsonArray Redirect(string scheme, string? host, int port)
    {
        var standard = scheme == "https" ? 443 : 80;
        var location = new StringBuilder(scheme).Append("://").Append(host ?? "{http.request.host}");
        if (port != standard)
        {
            location.Append(':').Append(Port(port));
        }

        location.Append("{http.request.uri}");
        return new JsonArray(new JsonObject
        {
            ["handler"] = "static_response",
            ["status_code"] = 308,
            ["headers"] = new JsonObject { ["Location"] = new JsonArray(location.ToString()) },
        });
    }

    private static JsonArray Serve(ProxyRoute route, CaddyVersion? version)
    {
        var handlers = new JsonArray();
        if (route.NoIndex)
        {
            // First, so every answer of the route carries it: the application's, a 401 of basic auth, a 502.
            handlers.Add(new JsonObject
            {
                ["handler"] = "headers",
                ["response"] = new JsonObject { ["set"] = new JsonObject { ["X-Robots-Tag"] = new JsonArray("noindex, nofollow") } },
            });
        }

        if (route.Options.BasicAuth is { } auth)
        {
            if (!auth.IsUsable)
            {
                handlers.Add(Status(503, "503 Service Unavailable: this application's basic authentication is not valid.\n"));
                return handlers;
            }

            handlers.Add(new JsonObject
            {
                ["handler"] = "authentication",
                ["providers"] = new JsonObject
                {
                    ["http_basic"] = new JsonObject
                    {
                        ["accounts"] = new JsonArray(new JsonObject
                        {
                            ["username"] = auth.Username,
                            // The hash as bcrypt writes it: Caddy 2.6 takes it so as well as base64-encoded, and later versions prefer it.
                            ["password"] = auth.PasswordHash,
                        }),
                        ["hash"] = new JsonObject { ["algorithm"] = "bcrypt" },
                        ["hash_cache"] = new JsonObject(),
                    },
                },
            });
        }

        if (route.Options.StripPrefix && route.Domain.Path.Length > 0)
        {
            handlers.Add(new JsonObject { ["handler"] = "rewrite", ["strip_path_prefix"] = route.Domain.Path });
        }

        if (route.Options.Gzip)
        {
            handlers.Add(new JsonObject
            {
                ["handler"] = "encode",
                ["encodings"] = new JsonObject { ["gzip"] = new JsonObject() },
                ["prefer"] = new JsonArray("gzip"),
            });
        }

        handlers.Add(route.Upstream is { } upstream
            ? ReverseProxy(upstream, version)
            : Status(502, "502 Bad Gateway: the application publishes no port the proxy can reach (use host networking or a ports_mappings entry for its port).\n"));
        return handlers;
    }

    private static JsonObject ReverseProxy(ProxyUpstream upstream, CaddyVersion? version)
    {
        var handler = new JsonObject { ["handler"] = "reverse_proxy", ["upstreams"] = new JsonArray(new JsonObject { ["dial"] = upstream.Dial }) };
        if (version?.HasStreamCloseDelay == true)
        {
            handler["stream_close_delay"] = StreamCloseDelay;
        }

        if (upstream.DrainingPort is { } draining)
        {
            // New requests go to the first upstream; the old one stays listed so its in-flight count survives the reload.
            handler["upstreams"]!.AsArray().Add(new JsonObject { ["dial"] = ProxyUpstream.DialOf(draining) });
            handler["load_balancing"] = new JsonObject { ["selection_policy"] = new JsonObject { ["policy"] = "first" } };
        }

        return handler;
    }

    private static JsonObject Status(int code, string body) => new()
    {
        ["handler"] = "static_response",
        ["status_code"] = code,
        ["headers"] = new JsonObject { ["Content-Type"] = new JsonArray("text/plain; charset=utf-8") },
        ["body"] = body,
    };

    private static JsonObject Tls(ProxyPlan plan)
    {
        var issuer = new JsonObject { ["module"] = "acme", ["ca"] = plan.Acme.CaUrl };
        if (plan.Acme.Email is { } email)
        {
            issuer["email"] = email;
        }

        if (plan.Acme.TrustedRootFile is { } root)
        {
            issuer["trusted_roots_pem_files"] = new JsonArray(root);
        }

        var subjects = new JsonArray();
        foreach (var host in plan.HttpsHosts)
        {
            subjects.Add(host);
        }

        return new JsonObject
        {
            ["automation"] = new JsonObject
            {
                ["policies"] = new JsonArray(new JsonObject { ["subjects"] = subjects, ["issuers"] = new JsonArray(issuer) }),
            },
        };
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
