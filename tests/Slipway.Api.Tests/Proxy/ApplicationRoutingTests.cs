using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Proxy;
using Slipway.Core.Routing;
using Slipway.Core.Servers;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Proxy;

/// <summary>Coolify's domain and routing fields on applications: rules, conflicts, overrides, autogeneration.</summary>
public sealed class ApplicationRoutingTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Seeder _seed = new(factory);

    [Fact]
    public async Task Create_RoutingFields_AreStoredNormalisedAndThePasswordNeverReturned()
    {
        var (client, body, _) = await PlacementAsync("routing");
        body["domains"] = "HTTPS://Shop.Example.com/ , https://www.shop.example.com/API/";
        body["redirect"] = "www";
        body["is_force_https_enabled"] = false;
        body["is_gzip_enabled"] = false;
        body["is_stripprefix_enabled"] = false;
        body["is_http_basic_auth_enabled"] = true;
        body["http_basic_auth_username"] = "admin";
        body["http_basic_auth_password"] = "correct horse";

        var response = await client.PostBodyAsync("/api/v1/applications/dockerimage", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var uuid = (await response.NodeAsync())["uuid"]!.GetValue<string>();
        var app = await client.GetJsonAsync($"/api/v1/applications/{uuid}");
        Assert.Equal("https://shop.example.com,https://www.shop.example.com/api", app["fqdn"]!.GetValue<string>());
        Assert.Equal(("www", true, "admin"), (app["redirect"]!.GetValue<string>(), app["is_http_basic_auth_enabled"]!.GetValue<bool>(), app["http_basic_auth_username"]!.GetValue<string>()));
        var settings = app["settings"]!;
        Assert.Equal((false, false, false), (settings["is_force_https_enabled"]!.GetValue<bool>(), settings["is_gzip_enabled"]!.GetValue<bool>(), settings["is_stripprefix_enabled"]!.GetValue<bool>()));
        var text = app.ToJsonString();
        Assert.DoesNotContain("correct horse", text, StringComparison.Ordinal);
        // Coolify's field is there, and always null: only the password's bcrypt hash is stored, and that is never shown.
        Assert.True(app.AsObject().TryGetPropertyValue("http_basic_auth_password", out var password) && password is null);
        Assert.DoesNotContain("$2", text, StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        var stored = await db.Applications.AsNoTracking().SingleAsync(a => a.Uuid == uuid, TestContext.Current.CancellationToken);
        Assert.True(BasicAuthRules.Verify("correct horse", stored.HttpBasicAuthPasswordHash!));
    }

    [Fact]
    public async Task Create_Defaults_AreCoolifys()
    {
        var (client, body, _) = await PlacementAsync("defaults");
        var uuid = (await (await client.PostBodyAsync("/api/v1/applications/dockerimage", body)).NodeAsync())["uuid"]!.GetValue<string>();

        var app = await client.GetJsonAsync($"/api/v1/applications/{uuid}");

        Assert.Equal(("both", false), (app["redirect"]!.GetValue<string>(), app["is_http_basic_auth_enabled"]!.GetValue<bool>()));
        Assert.Equal((true, true, true), (app["settings"]!["is_force_https_enabled"]!.GetValue<bool>(), app["settings"]!["is_gzip_enabled"]!.GetValue<bool>(), app["settings"]!["is_stripprefix_enabled"]!.GetValue<bool>()));
        Assert.Null(app["fqdn"]);
    }

    [Theory]
    [InlineData("domains", "shop.example.com")]
    [InlineData("domains", "ftp://shop.example.com")]
    [InlineData("domains", "https://*.example.com")]
    [InlineData("domains", "https://{http.request.host}")]
    [InlineData("domains", "https://shop.example.com/{http.request.uri}")]
    [InlineData("domains", "https://shop\n.example.com")]
    [InlineData("domains", "https://shop.example.com/\"}")]
    [InlineData("domains", "https://shop .example.com")]
    [InlineData("domains", "https://ѕhop.example.com")]
    [InlineData("redirect", "sometimes")]
    [InlineData("http_basic_auth_username", "ad:min")]
    [InlineData("http_basic_auth_username", "{http.request.host}")]
    [InlineData("http_basic_auth_password", "")]
    public async Task Create_InvalidRoutingValue_Returns422NamingTheField(string field, string value)
    {
        var (client, body, _) = await PlacementAsync("invalid");
        body[field] = value;
        if (field.StartsWith("http_basic", StringComparison.Ordinal))
        {
            body["is_http_basic_auth_enabled"] = true;
            body.TryAdd("http_basic_auth_username", "admin");
            body.TryAdd("http_basic_auth_password", "pw");
        }

        var response = await client.PostBodyAsync("/api/v1/applications/dockerimage", body);

        await ApiAssert.ValidationAsync(response, field);
    }

    [Fact]
    public async Task Create_TenThousandDomains_Returns422()
    {
        var (client, body, _) = await PlacementAsync("many");
        body["domains"] = string.Join(',', Enumerable.Range(0, 10_000).Select(i => $"https://a{i.ToString(CultureInfo.InvariantCulture)}.example.com"));

        var response = await client.PostBodyAsync("/api/v1/applications/dockerimage", body);

        Assert.Contains("at most 100 domains", Assert.Single(await ApiAssert.ValidationAsync(response, "domains")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_DomainOfAnotherApplication_Returns409WithTheConflictAndCreatesNothing()
    {
        var (client, body, teamId) = await PlacementAsync("conflict");
        var existing = await _seed.ApplicationAsync(teamId, "owner", configure: a => a.Fqdn = "https://taken.example.com/api");
        body["domains"] = "http://TAKEN.example.com/api/,https://free.example.com";
        body["name"] = "newcomer";

        var response = await client.PostBodyAsync("/api/v1/applications/dockerimage", body);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var json = await response.NodeAsync();
        Assert.Equal("Domain conflicts detected. Use force_domain_override=true to proceed.", json["message"]!.GetValue<string>());
        var conflict = Assert.Single(json["conflicts"]!.AsArray())!;
        Assert.Equal(("taken.example.com/api", "owner", existing.Uuid, "application"),
            (conflict["domain"]!.GetValue<string>(), conflict["resource_name"]!.GetValue<string>(), conflict["resource_uuid"]!.GetValue<string>(), conflict["resource_type"]!.GetValue<string>()));
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Applications.AnyAsync(a => a.Name == "newcomer", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Patch_ForceDomainOverride_MovesTheDomainFromTheOtherApplication()
    {
        var (client, _, teamId) = await PlacementAsync("override");
        var owner = await _seed.ApplicationAsync(teamId, "owner", configure: a => a.Fqdn = "https://moved.example.com,https://kept.example.com");
        var taker = await _seed.ApplicationAsync(teamId, "taker");

        var refused = await client.PatchBodyAsync($"/api/v1/applications/{taker.Uuid}", new { domains = "https://moved.example.com" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var forced = await client.PatchBodyAsync($"/api/v1/applications/{taker.Uuid}", new { domains = "https://moved.example.com", force_domain_override = true });

        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        await using var db = factory.CreateDbContext();
        var fqdns = await db.Applications.AsNoTracking().Where(a => a.Id == owner.Id || a.Id == taker.Id).ToDictionaryAsync(a => a.Name, a => a.Fqdn, TestContext.Current.CancellationToken);
        Assert.Equal("https://kept.example.com", fqdns["owner"]);
        Assert.Equal("https://moved.example.com", fqdns["taker"]);
    }

    [Fact]
    public async Task Patch_DomainOfAnotherTeam_Returns409EvenWhenForcedAndNamesNoOne()
    {
        var other = await factory.CreateTeamAsync("other-team");
        var theirs = await _seed.ApplicationAsync(other, "secret-project", configure: a => a.Fqdn = "https://theirs.example.com");
        var (client, _, teamId) = await PlacementAsync("mine");
        var mine = await _seed.ApplicationAsync(teamId, "mine");

        var response = await client.PatchBodyAsync($"/api/v1/applications/{mine.Uuid}", new { domains = "https://theirs.example.com", force_domain_override = true });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("secret-project", text, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs.Uuid, text, StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        Assert.Equal("https://theirs.example.com", (await db.Applications.AsNoTracking().SingleAsync(a => a.Id == theirs.Id, TestContext.Current.CancellationToken)).Fqdn);
    }

    [Fact]
    public async Task Create_WithoutDomainsOnAServerWithAProxy_GetsAnSslipDomain()
    {
        var (client, body, teamId) = await PlacementAsync("autogenerate");
        await using (var db = factory.CreateDbContext())
        {
            await db.Servers.Where(s => s.TeamId == teamId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Proxy.Type, ProxyTypes.Caddy), TestContext.Current.CancellationToken);
        }

        var generated = await (await client.PostBodyAsync("/api/v1/applications/dockerimage", body)).NodeAsync();
        body["autogenerate_domain"] = false;
        var without = await (await client.PostBodyAsync("/api/v1/applications/dockerimage", body)).NodeAsync();

        var uuid = generated["uuid"]!.GetValue<string>();
        Assert.Equal($"http://{uuid}.127.0.0.1.sslip.io", (await client.GetJsonAsync($"/api/v1/applications/{uuid}"))["fqdn"]!.GetValue<string>());
        Assert.Null((await client.GetJsonAsync($"/api/v1/applications/{without["uuid"]!.GetValue<string>()}"))["fqdn"]);
    }

    [Fact]
    public async Task Patch_BasicAuthWithoutCredentials_Returns422()
    {
        var (client, _, teamId) = await PlacementAsync("auth");
        var app = await _seed.ApplicationAsync(teamId, "auth");

        var response = await client.PatchBodyAsync($"/api/v1/applications/{app.Uuid}", new { is_http_basic_auth_enabled = true });

        Assert.Equal(["http_basic_auth_password", "http_basic_auth_username"], await response.ErrorFieldsAsync());
    }

    private async Task<(HttpClient Client, Dictionary<string, object?> Body, long TeamId)> PlacementAsync(string team)
    {
        var teamId = await factory.CreateTeamAsync(team + "-" + Guid.NewGuid().ToString("N")[..6]);
        var project = await _seed.ProjectAsync(teamId);
        Server server = await _seed.ServerAsync(teamId);
        var body = new Dictionary<string, object?>
        {
            ["project_uuid"] = project.Uuid,
            ["environment_name"] = "production",
            ["server_uuid"] = server.Uuid,
            ["docker_registry_image_name"] = "slipway-test/busybox",
            ["ports_exposes"] = "8080",
        };
        return (factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Root, teamId)), body, teamId);
    }
}
