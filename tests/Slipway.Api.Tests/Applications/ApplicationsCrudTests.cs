using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Applications;

public sealed class ApplicationsCrudTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Seeder _seed = new(factory);

    [Fact]
    public async Task Get_OwnApplication_ReturnsContractFieldsInCoolifyOrder()
    {
        var app = await _seed.ApplicationAsync(name: "get-me");

        var json = (await factory.RootClient().GetJsonAsync($"/api/v1/applications/{app.Uuid}")).AsObject();

        var keys = json.Select(p => p.Key).ToArray();
        Assert.Equal(["id", "uuid", "description", "name"], keys[..4]);
        Assert.Equal(["created_at", "updated_at"], keys[^2..]);
        var middle = keys[4..^2];
        Assert.Equal(middle.Order(StringComparer.Ordinal).ToArray(), middle);
        Assert.Equal("get-me", json["name"]!.GetValue<string>());
        Assert.Equal("static", json["build_pack"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", json["created_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_AnotherTeamsApplication_Returns404()
    {
        var other = await factory.CreateTeamAsync("crud-other");
        var app = await _seed.ApplicationAsync(other);

        var response = await factory.RootClient().GetAsync($"/api/v1/applications/{app.Uuid}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Application not found.", (await response.NodeAsync())["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_FilterByTag_ReturnsOnlyTaggedApplications()
    {
        var tagged = await _seed.ApplicationAsync(name: "tagged");
        await _seed.ApplicationAsync(name: "untagged");
        await factory.RootClient().PostBodyAsync($"/api/v1/applications/{tagged.Uuid}/tags", new { tag_name = "blue" });

        var list = (await factory.RootClient().GetJsonAsync("/api/v1/applications?tag=blue")).AsArray();

        Assert.Equal(["tagged"], list.Select(a => a!["name"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task Patch_SentFieldsOnly_ChangesThoseAndKeepsTheRest()
    {
        var app = await _seed.ApplicationAsync(name: "patch-me");

        var response = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}",
            new { name = "patched", health_check_enabled = true, health_check_path = "/healthz", git_branch = "release/1.0" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = factory.CreateDbContext();
        var stored = await db.Applications.SingleAsync(a => a.Id == app.Id, TestContext.Current.CancellationToken);
        Assert.Equal(("patched", true, "/healthz", "release/1.0"), (stored.Name, stored.HealthCheckEnabled, stored.HealthCheckPath, stored.GitBranch));
        Assert.Equal(app.GitRepository, stored.GitRepository);
    }

    [Fact]
    public async Task Patch_InvalidValues_Returns422AndChangesNothing()
    {
        var app = await _seed.ApplicationAsync(name: "patch-bad");

        var response = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}",
            new { name = "renamed", git_branch = "main;id", health_check_port = "99999", custom_docker_run_options = "--privileged" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["custom_docker_run_options", "git_branch", "health_check_port"], await response.ErrorFieldsAsync());
        await using var db = factory.CreateDbContext();
        Assert.Equal("patch-bad", (await db.Applications.SingleAsync(a => a.Id == app.Id, TestContext.Current.CancellationToken)).Name);
    }

    [Fact]
    public async Task Patch_ToDockerImageWithoutImage_Returns422()
    {
        var app = await _seed.ApplicationAsync(name: "patch-pack");

        var response = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}", new { build_pack = "dockerimage" });

        Assert.Equal(["docker_registry_image_name"], await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task Delete_WithActiveDeployments_CancelsThemAndRemovesEverything()
    {
        var app = await _seed.ApplicationAsync(name: "delete-me");
        await _seed.DeploymentAsync(app, DeploymentStatus.Queued, logLines: 3);

        var response = await factory.RootClient().DeleteAsync($"/api/v1/applications/{app.Uuid}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Application deleted.", (await response.NodeAsync())["message"]!.GetValue<string>());
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Applications.AnyAsync(a => a.Id == app.Id, TestContext.Current.CancellationToken));
        Assert.False(await db.Deployments.AnyAsync(d => d.ApplicationId == app.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Get_WriteOnlyToken_Returns403ReadMissing()
    {
        var app = await _seed.ApplicationAsync(name: "write-only");
        var token = await factory.CreateTokenAsync(ApiAbility.Write);

        var response = await factory.ClientWith(token).GetAsync($"/api/v1/applications/{app.Uuid}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Missing required permissions: read", (await response.NodeAsync())["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task WebhookSecrets_ReturnedOnlyToSensitiveTokens_AndStoredEncrypted()
    {
        var app = await _seed.ApplicationAsync(name: "secrets");
        await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}", new { manual_webhook_secret_github = "s3cret-value" });

        var asRead = await factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read)).GetJsonAsync($"/api/v1/applications/{app.Uuid}");
        var asSensitive = await factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read | ApiAbility.ReadSensitive))
            .GetJsonAsync($"/api/v1/applications/{app.Uuid}");

        Assert.False(asRead.AsObject().ContainsKey("manual_webhook_secret_github"));
        Assert.Equal("s3cret-value", asSensitive["manual_webhook_secret_github"]!.GetValue<string>());
        await using var db = factory.CreateDbContext();
        var stored = await db.Applications.SingleAsync(a => a.Id == app.Id, TestContext.Current.CancellationToken);
        Assert.DoesNotContain("s3cret-value", stored.ProtectedWebhookSecretGithub, StringComparison.Ordinal);
    }
}
