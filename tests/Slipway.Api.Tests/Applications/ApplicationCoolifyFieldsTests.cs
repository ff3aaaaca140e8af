using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;

namespace Slipway.Api.Tests.Applications;

/// <summary>
/// Coolify's last application fields (issue 14): noindex_domains and is_env_sorting_enabled are stored and shown; the
/// switches for what Slipway has no such thing as (build servers, log drains, label interpolation, GitHub Apps, a second
/// destination) take Coolify's default and answer any other value with a 422 that says why; a fixed container name is
/// one per server; the answer carries every field of Coolify's Application schema.
/// </summary>
public sealed class ApplicationCoolifyFieldsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Seeder _seed = new(factory);

    [Fact]
    public async Task Patch_CoolifysDefaults_AreAcceptedAndShown()
    {
        var server = await _seed.ServerAsync();
        var app = await _seed.ApplicationAsync(name: "defaults", server: server, configure: a => a.Fqdn = "https://a.example.com,https://b.example.com");

        var response = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}", new Dictionary<string, object?>
        {
            ["noindex_domains"] = new[] { "https://B.example.com/", "b.example.com", "staging.example.com" },
            ["is_env_sorting_enabled"] = false,
            ["use_build_server"] = false,
            ["is_log_drain_enabled"] = false,
            ["is_container_label_escape_enabled"] = true,
            ["github_app_uuid"] = null,
            ["destination_uuid"] = server.Uuid,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = await factory.RootClient().GetJsonAsync($"/api/v1/applications/{app.Uuid}");
        Assert.Equal(["b.example.com", "staging.example.com"], shown["noindex_domains"]!.AsArray().Select(d => d!.GetValue<string>()));
        var settings = shown["settings"]!;
        Assert.Equal((false, false, false, true), (settings["is_env_sorting_enabled"]!.GetValue<bool>(), settings["is_build_server_enabled"]!.GetValue<bool>(),
            settings["is_log_drain_enabled"]!.GetValue<bool>(), settings["is_container_label_escape_enabled"]!.GetValue<bool>()));

        // Cleared with null; sorting back on.
        Assert.Equal(HttpStatusCode.OK, (await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}",
            new Dictionary<string, object?> { ["noindex_domains"] = null, ["is_env_sorting_enabled"] = true })).StatusCode);
        await using var db = factory.CreateDbContext();
        var stored = await db.Applications.AsNoTracking().SingleAsync(a => a.Uuid == app.Uuid, TestContext.Current.CancellationToken);
        Assert.Equal((null, true), (stored.NoindexDomains, stored.IsEnvSortingEnabled));
    }

    [Theory]
    [InlineData("use_build_server", true, "there are no build servers")]
    [InlineData("is_log_drain_enabled", true, "Slipway has no log drains")]
    [InlineData("is_container_label_escape_enabled", false, "$ is never interpolated")]
    [InlineData("github_app_uuid", "abc", "Slipway has no GitHub Apps")]
    [InlineData("is_log_drain_enabled", null, "must not be null")]
    [InlineData("noindex_domains", "a.example.com", "must be an array")]
    public async Task Patch_AValueSlipwayCannotHonour_Returns422SayingWhyAndChangesNothing(string field, object? value, string reason)
    {
        var app = await _seed.ApplicationAsync(name: "switches");

        var response = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}", new Dictionary<string, object?> { ["name"] = "changed", [field] = value });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal([field], await response.ErrorFieldsAsync());
        Assert.Contains(reason, (await response.NodeAsync())["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        Assert.Equal("switches", (await db.Applications.AsNoTracking().SingleAsync(a => a.Uuid == app.Uuid, TestContext.Current.CancellationToken)).Name);
    }

    [Theory]
    [InlineData("a.example.com; rm -rf /")]
    [InlineData("{http.request.host}")]
    [InlineData("*.example.com")]
    [InlineData("https://user:pass@a.example.com")]
    [InlineData("localhost")]
    [InlineData("")]
    [InlineData("a.example.com\n")]
    [InlineData("ftp://a.example.com")]
    public async Task Patch_HostileNoindexDomain_Returns422NamingTheField(string entry)
    {
        var app = await _seed.ApplicationAsync(name: "noindex");

        var response = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}", new { noindex_domains = new[] { "ok.example.com", entry } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["noindex_domains"], await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task DestinationUuid_MustNameTheApplicationsServer_OnCreateAndPatch()
    {
        var project = await _seed.ProjectAsync();
        var server = await _seed.ServerAsync();
        var other = await _seed.ServerAsync(queueLimit: 11); // a second server of the team
        JsonObject Body(string destination) => new()
        {
            ["project_uuid"] = project.Uuid,
            ["environment_name"] = "production",
            ["server_uuid"] = server.Uuid,
            ["destination_uuid"] = destination,
            ["docker_registry_image_name"] = "nginx",
            ["ports_exposes"] = "80",
        };

        var disagreeing = await factory.RootClient().PostBodyAsync("/api/v1/applications/dockerimage", Body(other.Uuid));
        Assert.True(disagreeing.StatusCode == HttpStatusCode.UnprocessableEntity, await disagreeing.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["destination_uuid"], await disagreeing.ErrorFieldsAsync());

        var agreeing = await factory.RootClient().PostBodyAsync("/api/v1/applications/dockerimage", Body(server.Uuid));
        Assert.Equal(HttpStatusCode.Created, agreeing.StatusCode);
        var uuid = (await agreeing.NodeAsync())["uuid"]!.GetValue<string>();

        // PATCH: the destination of the server the application is on, or of the server_uuid sent with it.
        var url = $"/api/v1/applications/{uuid}";
        Assert.Equal(HttpStatusCode.OK, (await factory.RootClient().PatchBodyAsync(url, new { destination_uuid = server.Uuid })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await factory.RootClient().PatchBodyAsync(url, new { destination_uuid = other.Uuid })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.RootClient().PatchBodyAsync(url, new { server_uuid = other.Uuid, destination_uuid = other.Uuid })).StatusCode);
        await using var db = factory.CreateDbContext();
        Assert.Equal(other.Id, (await db.Applications.AsNoTracking().SingleAsync(a => a.Uuid == uuid, TestContext.Current.CancellationToken)).ServerId);
    }

    [Fact]
    public async Task Patch_CustomInternalNameTakenOnTheSameServer_Returns422_OnAnotherServerIsAccepted()
    {
        var server = await _seed.ServerAsync();
        var holder = await _seed.ApplicationAsync(name: "holder", server: server, configure: a => a.CustomInternalName = "shop-web");
        var same = await _seed.ApplicationAsync(name: "same", server: server);
        var elsewhere = await _seed.ApplicationAsync(name: "elsewhere", server: await _seed.ServerAsync(queueLimit: 12));

        var taken = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{same.Uuid}", new { custom_internal_name = "shop-web" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, taken.StatusCode);
        Assert.Contains($"already used on this server by application {holder.Uuid}", (await taken.NodeAsync())["errors"]!["custom_internal_name"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var holdersUuid = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{same.Uuid}", new { custom_internal_name = holder.Uuid });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, holdersUuid.StatusCode);

        var elsewhereResponse = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{elsewhere.Uuid}", new { custom_internal_name = "shop-web" });
        Assert.True(elsewhereResponse.StatusCode == HttpStatusCode.OK, await elsewhereResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        // Its own name again is not a conflict.
        Assert.Equal(HttpStatusCode.OK, (await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{holder.Uuid}", new { custom_internal_name = "shop-web" })).StatusCode);
    }

    [Fact]
    public async Task Get_Application_CarriesEveryFieldOfCoolifysApplicationSchema()
    {
        var app = await _seed.ApplicationAsync(name: "every-field");

        var shown = (await factory.RootClient().GetJsonAsync($"/api/v1/applications/{app.Uuid}")).AsObject();

        var missing = Fields("Application").Where(f => !shown.ContainsKey(f)).ToList();
        Assert.True(missing.Count == 0, "Missing: " + string.Join(", ", missing));
        var settings = shown["settings"]!.AsObject();
        // The settings row's own id and timestamps are not shown: Slipway's settings live in the application row.
        var missingSettings = Fields("ApplicationSetting").Where(f => !settings.ContainsKey(f) && f is not "id" and not "created_at" and not "updated_at").ToList();
        Assert.True(missingSettings.Count == 0, "Missing settings: " + string.Join(", ", missingSettings));
    }

    private static IEnumerable<string> Fields(string schema) => Contract.CoolifyFacts.Schema(schema).GetProperty("properties").EnumerateObject().Select(p => p.Name);
}
