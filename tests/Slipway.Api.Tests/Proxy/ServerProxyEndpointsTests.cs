using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Proxy;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Proxy;

/// <summary>The proxy endpoints' contract and validation (this host runs no engine: nothing is started on a server).</summary>
public sealed class ServerProxyEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Seeder _seed = new(factory);

    [Fact]
    public async Task Get_NewServer_IsOffWithCoolifyFieldsAndSlipwayDefaults()
    {
        var server = await _seed.ServerAsync(await factory.CreateTeamAsync("get-defaults"));
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Root, server.TeamId));

        var proxy = await client.GetJsonAsync($"/api/v1/servers/{server.Uuid}/proxy");

        Assert.Equal(
            ["proxy_type", "status", "redirect_enabled", "redirect_url", "generate_exact_labels", "configuration", "http_port", "https_port", "admin_port",
             "image", "acme_email", "acme_ca_url", "acme_ca_root", "status_error", "certificates", "config_generation", "last_reconcile", "problems"],
            proxy.AsObject().Select(p => p.Key));
        Assert.Equal(("NONE", true, true, 80, 443, 2019), (proxy["proxy_type"]!.GetValue<string>(), proxy["redirect_enabled"]!.GetValue<bool>(),
            proxy["generate_exact_labels"]!.GetValue<bool>(), proxy["http_port"]!.GetValue<int>(), proxy["https_port"]!.GetValue<int>(), proxy["admin_port"]!.GetValue<int>()));
        Assert.Equal(("caddy:2-alpine", ServerProxy.DefaultAcmeCaUrl), (proxy["image"]!.GetValue<string>(), proxy["acme_ca_url"]!.GetValue<string>()));
        Assert.Contains("\"127.0.0.1:2019\"", proxy["configuration"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ReadToken_OmitsTheConfiguration()
    {
        var server = await _seed.ServerAsync();
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));

        var proxy = await client.GetJsonAsync($"/api/v1/servers/{server.Uuid}/proxy");

        Assert.False(proxy.AsObject().ContainsKey("configuration"));
        Assert.Equal("NONE", proxy["proxy_type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("traefik", "The proxy_type TRAEFIK is not supported: Slipway runs Caddy (CADDY) or no proxy (NONE).")]
    [InlineData("NGINX", "The proxy_type NGINX is not supported: Slipway runs Caddy (CADDY) or no proxy (NONE).")]
    [InlineData("apache", "The proxy_type must be CADDY or NONE.")]
    public async Task Patch_OtherProxyType_Returns422NamingIt(string type, string message)
    {
        var server = await _seed.ServerAsync();

        var response = await factory.RootClient().PatchBodyAsync($"/api/v1/servers/{server.Uuid}/proxy", new { proxy_type = type });

        Assert.Equal([message], await ApiAssert.ValidationAsync(response, "proxy_type"));
    }

    [Fact]
    public async Task Patch_ValidSettings_AreStoredAndShown()
    {
        var teamId = await factory.CreateTeamAsync("patch-valid");
        var server = await _seed.ServerAsync(teamId);
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Root, teamId));
        var root = SelfSignedPem();

        var response = await client.PatchBodyAsync($"/api/v1/servers/{server.Uuid}/proxy", new
        {
            proxy_type = "caddy",
            http_port = 8080,
            https_port = 8443,
            admin_port = 2099,
            image = "registry.example.com:5000/caddy:2.8",
            acme_email = "ops@example.com",
            acme_ca_url = "https://127.0.0.1:14000/dir",
            acme_ca_root = "junk before\n" + root,
            redirect_url = "https://www.example.com/",
            generate_exact_labels = true,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var proxy = await response.NodeAsync();
        Assert.Equal(("CADDY", 8080, "https://www.example.com/"), (proxy["proxy_type"]!.GetValue<string>(), proxy["http_port"]!.GetValue<int>(), proxy["redirect_url"]!.GetValue<string>()));
        await using var db = factory.CreateDbContext();
        var stored = (await db.Servers.AsNoTracking().SingleAsync(s => s.Id == server.Id, TestContext.Current.CancellationToken)).Proxy;
        Assert.Equal(("CADDY", 8080, 8443, 2099, "ops@example.com"), (stored.Type, stored.HttpPort, stored.HttpsPort, stored.AdminPort, stored.AcmeEmail));
        // Only the certificate itself is kept: what surrounded it never reaches the proxy's volume.
        Assert.Equal(root, stored.AcmeCaRoot);
        Assert.Equal("CADDY", (await client.GetJsonAsync($"/api/v1/servers/{server.Uuid}"))["proxy_type"]!.GetValue<string>());

        var cleared = await client.PatchBodyAsync($"/api/v1/servers/{server.Uuid}/proxy", new { acme_ca_root = (string?)null, redirect_url = (string?)null, acme_email = (string?)null });
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        var after = await cleared.NodeAsync();
        Assert.Null(after["acme_ca_root"]);
        Assert.Null(after["redirect_url"]);
    }

    [Theory]
    [InlineData("redirect_url", "\"https://x.example.com/{http.request.host}\"")]
    [InlineData("redirect_url", "\"javascript:alert(1)\"")]
    [InlineData("redirect_url", "\"https://x.example.com/\\\"}]\"")]
    [InlineData("redirect_url", "\"https://x.example.com/\\nSet-Cookie: a=b\"")]
    [InlineData("redirect_url", "\"https://user:pw@x.example.com/\"")]
    [InlineData("acme_email", "\"ops{env.HOME}@example.com\"")]
    [InlineData("acme_email", "\"not an email\"")]
    [InlineData("acme_ca_url", "\"http://ca.example.com/dir\"")]
    [InlineData("acme_ca_url", "\"https://ca.example.com/{env.X}\"")]
    [InlineData("acme_ca_url", "null")]
    [InlineData("acme_ca_root", "\"not a certificate\"")]
    [InlineData("acme_ca_root", "\"-----BEGIN CERTIFICATE-----\\ngarbage\\n-----END CERTIFICATE-----\"")]
    [InlineData("image", "\"caddy:2; rm -rf /\"")]
    [InlineData("image", "\"--privileged\"")]
    [InlineData("http_port", "0")]
    [InlineData("https_port", "70000")]
    [InlineData("admin_port", "\"2019\"")]
    [InlineData("https_port", "80")]
    [InlineData("admin_port", "443")]
    [InlineData("generate_exact_labels", "false")]
    [InlineData("redirect_enabled", "null")]
    [InlineData("proxy_type", "5")]
    [InlineData("configuration", "\"{}\"")]
    public async Task Patch_HostileOrInvalidValue_Returns422NamingTheFieldAndChangesNothing(string field, string value)
    {
        var server = await _seed.ServerAsync(await factory.CreateTeamAsync("hostile-" + field));
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Root, server.TeamId));

        var response = await client.SendRawAsync(HttpMethod.Patch, $"/api/v1/servers/{server.Uuid}/proxy", $$"""{"proxy_type":"caddy","{{field}}":{{value}}}""");

        await ApiAssert.ValidationAsync(response, field);
        await using var db = factory.CreateDbContext();
        Assert.Equal(ProxyTypes.None, (await db.Servers.AsNoTracking().SingleAsync(s => s.Id == server.Id, TestContext.Current.CancellationToken)).Proxy.Type);
    }

    [Fact]
    public async Task Patch_HostileBodies_NeverAnswer5xx()
    {
        var server = await _seed.ServerAsync();
        await HostileInput.AssertNever5xxAsync(factory.RootClient(), HttpMethod.Patch, $"/api/v1/servers/{server.Uuid}/proxy",
            ["proxy_type", "redirect_url", "http_port", "image", "acme_email", "acme_ca_url", "acme_ca_root", "generate_exact_labels"]);
    }

    [Fact]
    public async Task PutConfiguration_Always_Returns422BecauseSlipwayOwnsIt()
    {
        var server = await _seed.ServerAsync();

        var response = await factory.RootClient().PutAsync($"/api/v1/servers/{server.Uuid}/proxy/configuration",
            ApiAssert.Json("""{"configuration":"c2VydmljZXM6IHt9"}"""), TestContext.Current.CancellationToken);

        Assert.Contains("owns it", Assert.Single(await ApiAssert.ValidationAsync(response, "configuration")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_ProxyOff_Returns400AndWhenOnIsQueued()
    {
        var teamId = await factory.CreateTeamAsync("restart");
        var server = await _seed.ServerAsync(teamId);
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Root, teamId));

        var off = await client.PostAsync($"/api/v1/servers/{server.Uuid}/proxy/restart", null, TestContext.Current.CancellationToken);
        await ApiAssert.MessageAsync(off, HttpStatusCode.BadRequest, "The proxy of this server is off (proxy_type NONE): turn it on with PATCH /servers/{uuid}/proxy first.");

        await client.PatchBodyAsync($"/api/v1/servers/{server.Uuid}/proxy", new { proxy_type = "CADDY" });
        var on = await client.PostAsync($"/api/v1/servers/{server.Uuid}/proxy/restart", null, TestContext.Current.CancellationToken);
        await ApiAssert.MessageAsync(on, HttpStatusCode.OK, "Proxy restart queued.");
    }

    [Fact]
    public async Task Endpoints_OtherTeamsServer_Return404()
    {
        var other = await _seed.ServerAsync(await factory.CreateTeamAsync("proxy-other"));
        var client = factory.RootClient();

        foreach (var (method, path) in new[] { (HttpMethod.Get, "proxy"), (HttpMethod.Patch, "proxy"), (HttpMethod.Post, "proxy/restart"), (HttpMethod.Put, "proxy/configuration"), (HttpMethod.Get, "domains") })
        {
            var response = await client.SendRawAsync(method, $"/api/v1/servers/{other.Uuid}/{path}", "{}");
            await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Server not found.");
        }
    }

    [Fact]
    public async Task Domains_ServerWithApplicationsAndPreviews_ListsItsHostNames()
    {
        var teamId = await factory.CreateTeamAsync("domains");
        var server = await _seed.ServerAsync(teamId);
        var app = await _seed.ApplicationAsync(teamId, server: server, configure: a => a.Fqdn = "https://shop.example.com,http://shop.example.com:8080/api,https://www.shop.example.com");
        await using (var db = factory.CreateDbContext())
        {
            db.ApplicationPreviews.Add(new Core.Previews.ApplicationPreview { Uuid = Core.Common.PublicId.New(), ApplicationId = app.Id, ServerId = server.Id, PullRequestId = 3, Fqdn = "https://3.shop.example.com", Port = 40003 });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read, teamId));
        var domains = await client.GetJsonAsync($"/api/v1/servers/{server.Uuid}/domains");

        var entry = Assert.Single(domains.AsArray())!;
        Assert.Equal("127.0.0.1", entry["ip"]!.GetValue<string>());
        Assert.Equal(["3.shop.example.com", "shop.example.com", "www.shop.example.com"], entry["domains"]!.AsArray().Select(d => d!.GetValue<string>()));
    }

    [Fact]
    public async Task CreateServer_ProxyType_IsCheckedAndStored()
    {
        var teamId = await factory.CreateTeamAsync("create-proxy");
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Root, teamId));
        var key = await KeyAsync(client);

        var traefik = await client.PostBodyAsync("/api/v1/servers", new { ip = "192.0.2.77", private_key_uuid = key, proxy_type = "traefik" });
        Assert.Contains("TRAEFIK is not supported", Assert.Single(await ApiAssert.ValidationAsync(traefik, "proxy_type")), StringComparison.Ordinal);

        var caddy = await client.PostBodyAsync("/api/v1/servers", new { ip = "192.0.2.78", private_key_uuid = key, proxy_type = "caddy" });
        var uuid = (await caddy.NodeAsync())["uuid"]!.GetValue<string>();
        Assert.Equal("CADDY", (await client.GetJsonAsync($"/api/v1/servers/{uuid}"))["proxy_type"]!.GetValue<string>());

        var off = await client.PatchBodyAsync($"/api/v1/servers/{uuid}", new { proxy_type = "none" });
        Assert.Equal("NONE", (await off.NodeAsync())["proxy_type"]!.GetValue<string>());
    }

    private static async Task<string> KeyAsync(HttpClient client)
    {
        var key = await TestSshKeys.GenerateAsync("ed25519");
        var response = await client.PostBodyAsync("/api/v1/security/keys", new { name = "k", private_key = key.PrivateKey });
        return (await response.NodeAsync())["uuid"]!.GetValue<string>();
    }

    private static string SelfSignedPem()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=test acme ca", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem() + "\n";
    }
}
