using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Servers;

namespace Slipway.Api.Tests.Servers;

/// <summary><c>allow_host_network</c> and the recorded Docker probe on /servers (issue 10, items 1 and 8).</summary>
public sealed partial class ServersEndpointsTests
{
    [Fact]
    public async Task Update_AllowHostNetwork_IsStoredAndShownAtTheTopAndInSettings()
    {
        var server = await SeedRemoteAsync(0);

        var on = await factory.RootClient().PatchJsonAsync($"/api/v1/servers/{server.Uuid}", new { allow_host_network = true });
        var read = await (await factory.RootClient().GetAsync($"/api/v1/servers/{server.Uuid}", Ct)).JsonAsync();
        var off = await factory.RootClient().PatchJsonAsync($"/api/v1/servers/{server.Uuid}", new { allow_host_network = false });

        Assert.Equal(HttpStatusCode.Created, on.StatusCode);
        Assert.True((await on.JsonAsync()).GetProperty("allow_host_network").GetBoolean());
        Assert.True(read.GetProperty("settings").GetProperty("allow_host_network").GetBoolean());
        Assert.False((await off.JsonAsync()).GetProperty("allow_host_network").GetBoolean());
        await using var db = factory.CreateDbContext();
        Assert.False((await db.Servers.SingleAsync(s => s.Id == server.Id, Ct)).AllowHostNetwork);
    }

    [Fact]
    public async Task Create_AllowHostNetwork_IsOffUnlessAsked()
    {
        var key = await SeedKeyAsync();
        var (plainIp, hostIp) = (NextIp(), NextIp());

        var plain = await factory.RootClient().PostJsonAsync("/api/v1/servers", new { ip = plainIp, private_key_uuid = key.Uuid });
        var host = await factory.RootClient().PostJsonAsync("/api/v1/servers", new { ip = hostIp, private_key_uuid = key.Uuid, allow_host_network = true });

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (plain.StatusCode, host.StatusCode));
        await using var db = factory.CreateDbContext();
        Assert.False((await db.Servers.SingleAsync(s => s.Ip == plainIp, Ct)).AllowHostNetwork);
        Assert.True((await db.Servers.SingleAsync(s => s.Ip == hostIp, Ct)).AllowHostNetwork);
    }

    [Theory]
    [InlineData("""{"allow_host_network":null}""")]
    [InlineData("""{"allow_host_network":"yes"}""")]
    [InlineData("""{"allow_host_network":1}""")]
    public async Task Update_AllowHostNetworkNotABoolean_Returns422NamingIt(string json)
    {
        var server = await SeedRemoteAsync(0);

        var response = await factory.RootClient().SendRawAsync(HttpMethod.Patch, $"/api/v1/servers/{server.Uuid}", json);

        await ApiAssert.ValidationAsync(response, "allow_host_network");
        await using var db = factory.CreateDbContext();
        Assert.False((await db.Servers.SingleAsync(s => s.Id == server.Id, Ct)).AllowHostNetwork);
    }

    [Fact]
    public async Task Update_ConnectionChange_ClearsTheDockerProbeSoTheNextBuildProbesAgain()
    {
        var server = await SeedRemoteAsync(0);
        await using (var db = factory.CreateDbContext())
        {
            var stored = await db.Servers.SingleAsync(s => s.Id == server.Id, Ct);
            stored.SetDockerProbe(new DockerProbe("/usr/bin/docker", BuildKit: true, DefaultBridge: false, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc)));
            await db.SaveChangesAsync(Ct);
        }

        var limits = await (await factory.RootClient().PatchJsonAsync($"/api/v1/servers/{server.Uuid}", new { concurrent_builds = 3 })).JsonAsync();
        var moved = await (await factory.RootClient().PatchJsonAsync($"/api/v1/servers/{server.Uuid}", new { port = 2022 })).JsonAsync();

        Assert.Equal(("/usr/bin/docker", true, "2026-12-01T00:00:00.000000Z"), (
            limits.GetProperty("settings").GetProperty("docker_client_path").GetString(),
            limits.GetProperty("settings").GetProperty("docker_buildkit").GetBoolean(),
            limits.GetProperty("settings").GetProperty("docker_probed_at").GetString()));
        Assert.Equal(JsonValueKind.Null, moved.GetProperty("settings").GetProperty("docker_client_path").ValueKind);
        Assert.Equal(JsonValueKind.Null, moved.GetProperty("settings").GetProperty("docker_buildkit").ValueKind);
        await using var check = factory.CreateDbContext();
        Assert.Null((await check.Servers.SingleAsync(s => s.Id == server.Id, Ct)).GetDockerProbe());
    }
}
