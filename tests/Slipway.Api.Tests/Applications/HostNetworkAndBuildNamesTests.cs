using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;

namespace Slipway.Api.Tests.Applications;

/// <summary>
/// Issue 10 at the API: <c>--network host</c> only on a server that allows it (422 naming
/// <c>custom_docker_run_options</c> otherwise, with what to do instead), and build-time variables never named like
/// anything the docker client, git, ssh or the loader read (422 naming <c>key</c>), while runtime-only ones may be.
/// </summary>
public sealed class HostNetworkAndBuildNamesTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Seeder _seed = new(factory);

    [Fact]
    public async Task Create_HostNetworkOnAServerThatDoesNotAllowIt_Returns422SayingWhatToDo_ThenAcceptedOnceAllowed()
    {
        var app = await _seed.ApplicationAsync(name: "host-net");
        var serverUuid = await ServerUuidAsync(app.ServerId);

        var refused = await factory.RootClient().PatchJsonAsync($"/api/v1/applications/{app.Uuid}", new { custom_docker_run_options = "--network=host" });
        var message = Assert.Single(await ApiAssert.ValidationAsync(refused, "custom_docker_run_options"));
        await factory.RootClient().PatchJsonAsync($"/api/v1/servers/{serverUuid}", new { allow_host_network = true });
        var accepted = await factory.RootClient().PatchJsonAsync($"/api/v1/applications/{app.Uuid}", new { custom_docker_run_options = "--network=host" });

        Assert.Contains("allow_host_network", message, StringComparison.Ordinal);
        Assert.Contains("'slipway' network", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await using var db = factory.CreateDbContext();
        Assert.Equal("--network=host", (await db.Applications.SingleAsync(a => a.Id == app.Id, TestContext.Current.CancellationToken)).CustomDockerRunOptions);
    }

    [Fact]
    public async Task Patch_BridgeNetworkOnAServerWhoseDockerHasNoDefaultBridge_Returns422_AcceptedWhileUnprobed()
    {
        var app = await _seed.ApplicationAsync(name: "bridge-net");
        var url = $"/api/v1/applications/{app.Uuid}";
        var unprobed = await factory.RootClient().PatchJsonAsync(url, new { custom_docker_run_options = "--network bridge" });
        Assert.Equal(HttpStatusCode.OK, unprobed.StatusCode);
        await using (var db = factory.CreateDbContext())
        {
            await db.Servers.Where(s => s.Id == app.ServerId).ExecuteUpdateAsync(s => s.SetProperty(x => x.DockerDefaultBridge, false), TestContext.Current.CancellationToken);
        }

        var refused = await factory.RootClient().PatchJsonAsync(url, new { custom_docker_run_options = "--network=bridge --memory 64m" });

        var message = Assert.Single(await ApiAssert.ValidationAsync(refused, "custom_docker_run_options"));
        Assert.Contains("default bridge network, which this server's Docker does not have", message, StringComparison.Ordinal);
        Assert.Contains("'slipway' network", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PATH")]
    [InlineData("LD_PRELOAD")]
    [InlineData("DOCKER_HOST")]
    [InlineData("GIT_SSH_COMMAND")]
    public async Task CreateEnv_BuildTimeNameTheDockerClientReads_Returns422NamingKey_RuntimeOnlyIsFine(string key)
    {
        var app = await _seed.ApplicationAsync(name: "env-build-" + key);

        var buildtime = await factory.RootClient().PostBodyAsync($"/api/v1/applications/{app.Uuid}/envs", new { key, value = "/tmp/x", is_buildtime = true });
        var runtime = await factory.RootClient().PostBodyAsync($"/api/v1/applications/{app.Uuid}/envs", new { key, value = "/app/bin", is_buildtime = false });

        Assert.StartsWith($"The name {key} cannot be a build-time variable", Assert.Single(await ApiAssert.ValidationAsync(buildtime, "key")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, runtime.StatusCode);
        await using var db = factory.CreateDbContext();
        Assert.False(Assert.Single(await db.EnvironmentVariables.Where(v => v.ApplicationId == app.Id).ToListAsync(TestContext.Current.CancellationToken)).IsBuildtime);
    }

    [Fact]
    public async Task UpdateEnv_TurningARuntimePathIntoABuildTimeOne_Returns422()
    {
        var app = await _seed.ApplicationAsync(name: "env-turn-build");
        await factory.RootClient().PostBodyAsync($"/api/v1/applications/{app.Uuid}/envs", new { key = "PATH", value = "/app/bin" });

        var response = await factory.RootClient().PatchJsonAsync($"/api/v1/applications/{app.Uuid}/envs", new { key = "PATH", value = "/tmp/evil", is_buildtime = true });

        await ApiAssert.ValidationAsync(response, "key");
        await using var db = factory.CreateDbContext();
        Assert.False((await db.EnvironmentVariables.SingleAsync(v => v.ApplicationId == app.Id, TestContext.Current.CancellationToken)).IsBuildtime);
    }

    [Fact]
    public async Task BulkEnv_OneRefusedBuildTimeName_Returns422NamingItsItemAndStoresNone()
    {
        var app = await _seed.ApplicationAsync(name: "env-bulk-build");

        var response = await factory.RootClient().PatchJsonAsync($"/api/v1/applications/{app.Uuid}/envs/bulk", new
        {
            data = new object[]
            {
                new { key = "GIT_SHA", value = "abc", is_buildtime = true },
                new { key = "DOCKER_CONFIG", value = "/tmp/x", is_buildtime = true },
            },
        });

        await ApiAssert.ValidationAsync(response, "data.1.key");
        await using var db = factory.CreateDbContext();
        Assert.False(await db.EnvironmentVariables.AnyAsync(v => v.ApplicationId == app.Id, TestContext.Current.CancellationToken));
    }

    private async Task<string> ServerUuidAsync(long serverId)
    {
        await using var db = factory.CreateDbContext();
        return await db.Servers.Where(s => s.Id == serverId).Select(s => s.Uuid).SingleAsync(TestContext.Current.CancellationToken);
    }
}
