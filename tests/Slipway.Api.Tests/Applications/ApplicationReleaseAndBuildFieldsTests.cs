using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Applications;

namespace Slipway.Api.Tests.Applications;

/// <summary>
/// Issue 14 items 1, 2 and 5 at the API: release commands, build settings and the static build pack's settings are
/// accepted, stored and shown with Coolify's types; bad values are a 422 naming the field; the fields left to other
/// work answer a 422 saying why.
/// </summary>
public sealed class ApplicationReleaseAndBuildFieldsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Seeder _seed = new(factory);

    [Fact]
    public async Task Patch_EveryNewField_IsStoredAndShownWithCoolifysTypes()
    {
        var app = await _seed.ApplicationAsync(name: "release");

        var response = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}", new
        {
            pre_deployment_command = "php artisan migrate --force &&\r\n php artisan cache:clear | tee \"$LOG\"",
            pre_deployment_command_container = "web",
            post_deployment_command = "curl -fsS https://example.com/hook",
            post_deployment_command_container = (string?)null,
            dockerfile_target_build = "production",
            include_source_commit_in_build = true,
            inject_build_args_to_dockerfile = false,
            use_build_secrets = true,
            is_git_lfs_enabled = false,
            is_preserve_repository_enabled = true,
            is_static = true,
            is_spa = true,
            publish_directory = "/dist",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = await factory.RootClient().GetJsonAsync($"/api/v1/applications/{app.Uuid}");
        // Newlines are flattened to spaces, as Coolify does.
        Assert.Equal(("php artisan migrate --force &&  php artisan cache:clear | tee \"$LOG\"", "web", "curl -fsS https://example.com/hook", "production", "/dist"), (
            shown["pre_deployment_command"]!.GetValue<string>(), shown["pre_deployment_command_container"]!.GetValue<string>(),
            shown["post_deployment_command"]!.GetValue<string>(), shown["dockerfile_target_build"]!.GetValue<string>(), shown["publish_directory"]!.GetValue<string>()));
        Assert.Null(shown["post_deployment_command_container"]);
        var settings = shown["settings"]!;
        Assert.Equal((true, false, true, false, true, true, true), (
            settings["include_source_commit_in_build"]!.GetValue<bool>(), settings["inject_build_args_to_dockerfile"]!.GetValue<bool>(),
            settings["use_build_secrets"]!.GetValue<bool>(), settings["is_git_lfs_enabled"]!.GetValue<bool>(), settings["is_preserve_repository_enabled"]!.GetValue<bool>(),
            settings["is_static"]!.GetValue<bool>(), settings["is_spa"]!.GetValue<bool>()));
        await using var db = factory.CreateDbContext();
        var stored = await db.Applications.SingleAsync(a => a.Uuid == app.Uuid, TestContext.Current.CancellationToken);
        Assert.Equal(("php artisan migrate --force &&  php artisan cache:clear | tee \"$LOG\"", "/dist"), (stored.PreDeploymentCommand, stored.PublishDirectory));
    }

    [Fact]
    public async Task Get_NewApplication_ShowsCoolifysDefaults()
    {
        var app = await _seed.ApplicationAsync(name: "defaults");

        var shown = await factory.RootClient().GetJsonAsync($"/api/v1/applications/{app.Uuid}");

        Assert.Null(shown["pre_deployment_command"]);
        Assert.Null(shown["dockerfile_target_build"]);
        Assert.Equal("/", shown["publish_directory"]!.GetValue<string>());
        var settings = shown["settings"]!;
        Assert.Equal((false, true, false, true, false, false, false), (
            settings["include_source_commit_in_build"]!.GetValue<bool>(), settings["inject_build_args_to_dockerfile"]!.GetValue<bool>(),
            settings["use_build_secrets"]!.GetValue<bool>(), settings["is_git_lfs_enabled"]!.GetValue<bool>(), settings["is_preserve_repository_enabled"]!.GetValue<bool>(),
            settings["is_static"]!.GetValue<bool>(), settings["is_spa"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData("pre_deployment_command", "true\u0000touch /tmp/x", "The pre_deployment_command must be a command of at most 4096 characters without control characters.")]
    [InlineData("post_deployment_command", "echo \u001b]0;x\u0007", "The post_deployment_command must be a command of at most 4096 characters without control characters.")]
    [InlineData("post_deployment_command", " ", "The post_deployment_command must be a command of at most 4096 characters without control characters.")]
    [InlineData("pre_deployment_command_container", "web; touch /tmp/x", "The pre_deployment_command_container must be a service name")]
    [InlineData("post_deployment_command_container", "--privileged", "The post_deployment_command_container must be a service name")]
    [InlineData("dockerfile_target_build", "production; echo pwned", "The dockerfile_target_build must be a stage name")]
    [InlineData("dockerfile_target_build", "builder$(whoami)", "The dockerfile_target_build must be a stage name")]
    [InlineData("publish_directory", "/dist/../../etc", "The publish_directory must not contain '..'")]
    [InlineData("publish_directory", "dist; touch /tmp/x", "The publish_directory must start with '/'")]
    [InlineData("use_build_secrets", "yes", "The use_build_secrets field must be true or false.")]
    public async Task Patch_BadValue_Returns422NamingTheField(string field, object value, string message)
    {
        var app = await _seed.ApplicationAsync(name: "bad-" + field.Replace('_', '-'));

        var response = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}", new Dictionary<string, object> { [field] = value });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal([field], await response.ErrorFieldsAsync());
        Assert.StartsWith(message, (await response.NodeAsync())["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_SpaOnADockerfileApplication_Returns422SayingWhy()
    {
        var app = await _seed.ApplicationAsync(name: "spa-dockerfile", configure: a => a.BuildPack = BuildPack.Dockerfile);

        var response = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}", new { is_spa = true, is_static = false });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["is_spa"], await response.ErrorFieldsAsync());
        Assert.StartsWith("The is_spa setting applies to the static build pack", (await response.NodeAsync())["errors"]!["is_spa"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docker_compose_raw", "services: {}", "Docker Compose applications are not supported")]
    [InlineData("start_command", "npm start", "nixpacks-style build packs")]
    [InlineData("gpu_driver", "nvidia", "GPU settings cannot be tested")]
    public async Task Patch_FieldLeftToOtherWork_Returns422WithTheReason(string field, string value, string reason)
    {
        var app = await _seed.ApplicationAsync(name: "unsupported");

        var response = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}", new Dictionary<string, object> { [field] = value });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(reason, (await response.NodeAsync())["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
