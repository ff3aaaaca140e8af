using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Servers;

/// <summary>PATCH and DELETE /servers/{uuid}.</summary>
public sealed partial class ServersEndpointsTests
{
    [Fact]
    public async Task Update_EveryField_Returns201WithUpdatedServer()
    {
        var server = await SeedRemoteAsync(0);
        var newKey = await SeedKeyAsync();
        var ip = NextIp();

        var response = await factory.RootClient().PatchJsonAsync($"/api/v1/servers/{server.Uuid}", new
        {
            name = "renamed",
            description = "moved",
            ip,
            port = 2200,
            user = "ops",
            private_key_uuid = newKey.Uuid,
            concurrent_builds = 4,
            deployment_queue_limit = 50,
            dynamic_timeout = 1800,
            deployment_log_max_lines = 5000,
            deployment_log_max_bytes = 8L * 1024 * 1024 * 1024,
            deployment_log_retention = 20,
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(server.Uuid, body.GetProperty("uuid").GetString());
        Assert.Equal(("renamed", "moved", ip, 2200, "ops"), (
            body.GetProperty("name").GetString(), body.GetProperty("description").GetString(), body.GetProperty("ip").GetString(),
            body.GetProperty("port").GetInt32(), body.GetProperty("user").GetString()));
        var settings = body.GetProperty("settings");
        Assert.Equal((4, 50, 1800), (
            settings.GetProperty("concurrent_builds").GetInt32(), settings.GetProperty("deployment_queue_limit").GetInt32(),
            settings.GetProperty("dynamic_timeout").GetInt32()));
        Assert.Equal((5000, 8L * 1024 * 1024 * 1024), (settings.GetProperty("deployment_log_max_lines").GetInt32(), settings.GetProperty("deployment_log_max_bytes").GetInt64()));
        Assert.Equal(20, settings.GetProperty("deployment_log_retention").GetInt32());
        await using var db = factory.CreateDbContext();
        Assert.Equal(newKey.Id, (await db.Servers.SingleAsync(s => s.Id == server.Id, Ct)).PrivateKeyId);
    }

    [Fact]
    public async Task Update_ConnectionChange_ClearsReachability()
    {
        var server = await SeedRemoteAsync(0, reachable: true);

        var response = await factory.RootClient().PatchJsonAsync($"/api/v1/servers/{server.Uuid}", new { port = 2022 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.False(body.GetProperty("is_reachable").GetBoolean());
        Assert.False(body.GetProperty("is_usable").GetBoolean());
    }

    [Fact]
    public async Task Update_OnlyLimits_KeepsReachabilityAndConnection()
    {
        var server = await SeedRemoteAsync(0, reachable: true);

        var response = await factory.RootClient().PatchJsonAsync(
            $"/api/v1/servers/{server.Uuid}", new { concurrent_builds = 1, deployment_queue_limit = 1000, dynamic_timeout = 60, ip = server.Ip });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.True(body.GetProperty("is_reachable").GetBoolean());
        Assert.Equal(server.Ip, body.GetProperty("ip").GetString());
        Assert.Equal(1000, body.GetProperty("settings").GetProperty("deployment_queue_limit").GetInt32());
    }

    [Fact]
    public async Task Update_NullDescription_ClearsIt()
    {
        var server = await SeedRemoteAsync(0);
        await factory.RootClient().PatchJsonAsync($"/api/v1/servers/{server.Uuid}", new { description = "temporary" });

        var response = await factory.RootClient().SendRawAsync(HttpMethod.Patch, $"/api/v1/servers/{server.Uuid}", """{"description":null}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await response.JsonAsync()).GetProperty("description").ValueKind);
    }

    [Theory]
    [InlineData("""{"concurrent_builds":0}""", "concurrent_builds")]
    [InlineData("""{"concurrent_builds":101}""", "concurrent_builds")]
    [InlineData("""{"concurrent_builds":null}""", "concurrent_builds")]
    [InlineData("""{"concurrent_builds":"2"}""", "concurrent_builds")]
    [InlineData("""{"deployment_queue_limit":0}""", "deployment_queue_limit")]
    [InlineData("""{"deployment_queue_limit":1001}""", "deployment_queue_limit")]
    [InlineData("""{"dynamic_timeout":59}""", "dynamic_timeout")]
    [InlineData("""{"dynamic_timeout":86401}""", "dynamic_timeout")]
    [InlineData("""{"dynamic_timeout":-1}""", "dynamic_timeout")]
    [InlineData("""{"deployment_log_max_lines":999}""", "deployment_log_max_lines")]
    [InlineData("""{"deployment_log_max_lines":100000001}""", "deployment_log_max_lines")]
    [InlineData("""{"deployment_log_max_lines":null}""", "deployment_log_max_lines")]
    [InlineData("""{"deployment_log_max_lines":"1e6"}""", "deployment_log_max_lines")]
    [InlineData("""{"deployment_log_max_bytes":1048575}""", "deployment_log_max_bytes")]
    [InlineData("""{"deployment_log_max_bytes":68719476737}""", "deployment_log_max_bytes")]
    [InlineData("""{"deployment_log_max_bytes":-1}""", "deployment_log_max_bytes")]
    [InlineData("""{"deployment_log_max_bytes":9223372036854775808}""", "deployment_log_max_bytes")]
    [InlineData("""{"deployment_log_retention":0}""", "deployment_log_retention")]
    [InlineData("""{"deployment_log_retention":100001}""", "deployment_log_retention")]
    [InlineData("""{"deployment_log_retention":-1}""", "deployment_log_retention")]
    [InlineData("""{"deployment_log_retention":null}""", "deployment_log_retention")]
    [InlineData("""{"deployment_log_retention":"5"}""", "deployment_log_retention")]
    [InlineData("""{"deployment_log_retention":2.5}""", "deployment_log_retention")]
    [InlineData("""{"name":null}""", "name")]
    [InlineData("""{"ip":null}""", "ip")]
    [InlineData("""{"ip":"x y"}""", "ip")]
    [InlineData("""{"port":null}""", "port")]
    [InlineData("""{"port":70000}""", "port")]
    [InlineData("""{"user":null}""", "user")]
    [InlineData("""{"user":"root;id"}""", "user")]
    [InlineData("""{"private_key_uuid":null}""", "private_key_uuid")]
    [InlineData("""{"uuid":"other"}""", "uuid")]
    [InlineData("""{"is_localhost":true}""", "is_localhost")]
    public async Task Update_InvalidBody_Returns422AndChangesNothing(string json, string field)
    {
        var server = await SeedRemoteAsync(0);

        var response = await factory.RootClient().SendRawAsync(HttpMethod.Patch, $"/api/v1/servers/{server.Uuid}", json);

        await ApiAssert.ValidationAsync(response, field);
        await using var db = factory.CreateDbContext();
        var stored = await db.Servers.SingleAsync(s => s.Id == server.Id, Ct);
        Assert.Equal((server.Name, server.Ip, server.ConcurrentBuilds, server.DynamicTimeout, server.DeploymentLogRetention),
            (stored.Name, stored.Ip, stored.ConcurrentBuilds, stored.DynamicTimeout, stored.DeploymentLogRetention));
    }

    [Theory]
    [InlineData("is_build_server", "true")]
    [InlineData("connection_timeout", "10")]
    [InlineData("server_disk_usage_notification_threshold", "80")]
    [InlineData("server_disk_usage_check_frequency", "\"0 * * * *\"")]
    public async Task Update_ContractFieldSlipwayLacks_Returns422NotSupported(string field, string value)
    {
        var server = await SeedRemoteAsync(0);

        var response = await factory.RootClient().SendRawAsync(HttpMethod.Patch, $"/api/v1/servers/{server.Uuid}", $$"""{"{{field}}":{{value}}}""");

        Assert.Equal(["This field is not supported by Slipway."], await ApiAssert.ValidationAsync(response, field));
    }

    [Fact]
    public async Task Update_LocalhostConnection_Returns422ButLimitsAndSameValuesAreAccepted()
    {
        var teamId = await factory.CreateTeamAsync("local");
        var localhost = await _seed.ServerAsync(teamId);
        var key = await SeedKeyAsync(teamId);
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Write, teamId));

        var refused = await client.PatchJsonAsync($"/api/v1/servers/{localhost.Uuid}", new { ip = "192.0.2.123", user = "deploy", port = 22, private_key_uuid = key.Uuid });
        var accepted = await client.PatchJsonAsync($"/api/v1/servers/{localhost.Uuid}", new { ip = localhost.Ip, port = localhost.Port, concurrent_builds = 3 });

        Assert.Contains("cannot be changed", Assert.Single(await ApiAssert.ValidationAsync(refused, "ip")), StringComparison.Ordinal);
        await ApiAssert.ValidationAsync(refused, "user");
        await ApiAssert.ValidationAsync(refused, "private_key_uuid");
        Assert.False((await refused.JsonAsync()).GetProperty("errors").TryGetProperty("port", out _));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(3, (await accepted.JsonAsync()).GetProperty("settings").GetProperty("concurrent_builds").GetInt32());
        await using var db = factory.CreateDbContext();
        var stored = await db.Servers.SingleAsync(s => s.Id == localhost.Id, Ct);
        Assert.Equal(("127.0.0.1", "root", (long?)null), (stored.Ip, stored.User, stored.PrivateKeyId));
    }

    [Fact]
    public async Task Update_IpOfAnotherServerInTeam_Returns400()
    {
        var server = await SeedRemoteAsync(0);

        var response = await factory.RootClient().PatchJsonAsync($"/api/v1/servers/{server.Uuid}", new { ip = "127.0.0.1" });

        await ApiAssert.MessageAsync(response, HttpStatusCode.BadRequest, "Server with this IP already exists.");
    }

    [Fact]
    public async Task Update_OtherTeamsPrivateKey_Returns404()
    {
        var server = await SeedRemoteAsync(0);
        var theirKey = await SeedKeyAsync(await factory.CreateTeamAsync("b"));

        var response = await factory.RootClient().PatchJsonAsync($"/api/v1/servers/{server.Uuid}", new { private_key_uuid = theirKey.Uuid });

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Private key not found.");
    }

    [Fact]
    public async Task Update_OtherTeamsServer_Returns404AndChangesNothing()
    {
        var other = await SeedRemoteAsync(await factory.CreateTeamAsync("b"));

        var response = await factory.RootClient().PatchJsonAsync($"/api/v1/servers/{other.Uuid}", new { name = "hijacked" });

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Server not found.");
        await using var db = factory.CreateDbContext();
        Assert.Equal("remote", (await db.Servers.SingleAsync(s => s.Id == other.Id, Ct)).Name);
    }

    [Fact]
    public async Task Update_ReadToken_Returns403MissingWrite()
    {
        var server = await SeedRemoteAsync(0);
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));

        var response = await client.PatchJsonAsync($"/api/v1/servers/{server.Uuid}", new { name = "x" });

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: write");
    }

    [Fact]
    public async Task Delete_UnusedRemoteServer_Returns200AndRemovesIt()
    {
        var server = await SeedRemoteAsync(0);

        var response = await factory.RootClient().DeleteAsync($"/api/v1/servers/{server.Uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.OK, "Server deleted.");
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Servers.AnyAsync(s => s.Id == server.Id, Ct));
    }

    [Fact]
    public async Task Delete_LocalhostServer_Returns400AndKeepsIt()
    {
        await using var db = factory.CreateDbContext();
        var localhost = await db.Servers.SingleAsync(s => s.TeamId == 0 && s.IsLocalhost, Ct);

        var response = await factory.RootClient().DeleteAsync($"/api/v1/servers/{localhost.Uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.BadRequest, "Local server cannot be deleted.");
        Assert.True(await db.Servers.AnyAsync(s => s.Id == localhost.Id, Ct));
    }

    [Fact]
    public async Task Delete_ServerWithApplication_Returns400AndKeepsIt()
    {
        var server = await SeedRemoteAsync(0);
        await _seed.ApplicationAsync(server: server);

        var response = await factory.RootClient().DeleteAsync($"/api/v1/servers/{server.Uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.BadRequest, "Server has resources, so you need to delete them before.");
        await using var db = factory.CreateDbContext();
        Assert.True(await db.Servers.AnyAsync(s => s.Id == server.Id, Ct));
    }

    [Fact]
    public async Task Delete_OtherTeamsServer_Returns404AndKeepsIt()
    {
        var other = await SeedRemoteAsync(await factory.CreateTeamAsync("b"));

        var response = await factory.RootClient().DeleteAsync($"/api/v1/servers/{other.Uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Server not found.");
        await using var db = factory.CreateDbContext();
        Assert.True(await db.Servers.AnyAsync(s => s.Id == other.Id, Ct));
    }

    [Fact]
    public async Task Delete_ReadToken_Returns403MissingWrite()
    {
        var server = await SeedRemoteAsync(0);
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));

        var response = await client.DeleteAsync($"/api/v1/servers/{server.Uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: write");
    }
}
