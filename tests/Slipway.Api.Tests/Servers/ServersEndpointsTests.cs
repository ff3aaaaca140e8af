using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Servers;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Servers;

public sealed partial class ServersEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static int _lastIp;
    private readonly Seeder _seed = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_RootToken_ReturnsOwnServersInContractShape()
    {
        var other = await SeedRemoteAsync(await factory.CreateTeamAsync("b"));

        var response = await factory.RootClient().GetAsync("/api/v1/servers", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var servers = (await response.JsonAsync()).EnumerateArray().ToList();
        Assert.DoesNotContain(servers, s => s.GetProperty("uuid").GetString() == other.Uuid);
        var localhost = Assert.Single(servers, s => s.GetProperty("is_localhost").GetBoolean());
        Assert.Equal(
            ["id", "uuid", "name", "description", "ip", "user", "port", "proxy_type", "validation_logs", "is_localhost",
             "is_reachable", "is_usable", "allow_host_network", "created_at", "updated_at", "settings"],
            localhost.EnumerateObject().Select(p => p.Name));
        Assert.Equal("localhost", localhost.GetProperty("name").GetString());
        Assert.Equal("NONE", localhost.GetProperty("proxy_type").GetString());
        var settings = localhost.GetProperty("settings");
        Assert.Equal(
            ["concurrent_builds", "deployment_log_max_bytes", "deployment_log_max_lines", "deployment_log_retention", "deployment_queue_limit", "dynamic_timeout", "is_build_server", "is_reachable", "is_usable",
             "server_id", "allow_host_network", "docker_client_path", "docker_buildkit", "docker_default_bridge", "docker_probed_at",
             "created_at", "updated_at"],
            settings.EnumerateObject().Select(p => p.Name));
        Assert.Equal(localhost.GetProperty("id").GetInt64(), settings.GetProperty("server_id").GetInt64());
        Assert.False(settings.GetProperty("is_build_server").GetBoolean());
        // Host networking is opt-in; the Docker probe has not run on a fresh install.
        Assert.False(localhost.GetProperty("allow_host_network").GetBoolean());
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("docker_buildkit").ValueKind);
        Assert.Equal((1_000_000, 256L * 1024 * 1024), (settings.GetProperty("deployment_log_max_lines").GetInt32(), settings.GetProperty("deployment_log_max_bytes").GetInt64()));
        Assert.Equal(100, settings.GetProperty("deployment_log_retention").GetInt32());
    }

    [Fact]
    public async Task List_NoToken_Returns401()
    {
        var response = await factory.ClientWith(null).GetAsync("/api/v1/servers", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Unauthorized, "Unauthenticated.");
    }

    [Fact]
    public async Task List_WriteOnlyToken_Returns403MissingRead()
    {
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Write));

        var response = await client.GetAsync("/api/v1/servers", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: read");
    }

    [Fact]
    public async Task Create_MinimalBody_Returns201WithCoolifyDefaults()
    {
        var key = await SeedKeyAsync();
        var ip = NextIp();

        var response = await factory.RootClient().PostJsonAsync("/api/v1/servers", new { ip, private_key_uuid = key.Uuid });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(["uuid"], body.EnumerateObject().Select(p => p.Name));
        await using var db = factory.CreateDbContext();
        var server = await db.Servers.SingleAsync(s => s.Uuid == body.GetProperty("uuid").GetString(), Ct);
        Assert.Equal((ip, ip, 22, "root", key.Id), (server.Name, server.Ip, server.Port, server.User, server.PrivateKeyId));
        Assert.False(server.IsLocalhost);
        Assert.False(server.IsReachable);
        Assert.Null(server.ValidationLogs);
        Assert.Equal(Server.DefaultConcurrentBuilds, server.ConcurrentBuilds);
    }

    [Fact]
    public async Task Create_AllFieldsWithInstantValidate_StoresThemAndRecordsTheFailedConnection()
    {
        var teamId = await factory.CreateTeamAsync("instant-validate");
        var key = await SeedKeyAsync(teamId);
        var closedPort = ClosedPort();
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Root, teamId));

        var response = await client.PostJsonAsync("/api/v1/servers", new
        {
            name = "build-1",
            description = "Hetzner box",
            ip = "localhost",
            port = closedPort,
            user = "deploy",
            private_key_uuid = key.Uuid,
            instant_validate = true,
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var server = await GetServerAsync((await response.JsonAsync()).GetProperty("uuid").GetString()!, client);
        Assert.Equal("build-1", server.GetProperty("name").GetString());
        Assert.Equal("Hetzner box", server.GetProperty("description").GetString());
        Assert.Equal("localhost", server.GetProperty("ip").GetString());
        Assert.Equal(closedPort, server.GetProperty("port").GetInt32());
        Assert.Equal("deploy", server.GetProperty("user").GetString());
        Assert.StartsWith($"Could not open an SSH session with deploy@localhost:{closedPort}: ", server.GetProperty("validation_logs").GetString(), StringComparison.Ordinal);
        Assert.False(server.GetProperty("is_reachable").GetBoolean());
        Assert.False(server.GetProperty("settings").GetProperty("is_usable").GetBoolean());
    }

    [Theory]
    [InlineData("is_build_server", "false")]
    public async Task Create_ContractFieldSlipwayLacks_Returns422NotSupported(string field, string value)
    {
        var key = await SeedKeyAsync();
        var json = $$"""{"ip":"{{NextIp()}}","private_key_uuid":"{{key.Uuid}}","{{field}}":{{value}}}""";

        var response = await factory.RootClient().SendRawAsync(HttpMethod.Post, "/api/v1/servers", json);

        Assert.Equal(["This field is not supported by Slipway."], await ApiAssert.ValidationAsync(response, field));
    }

    [Theory]
    [InlineData("""{"private_key_uuid":"k"}""", "ip")]
    [InlineData("""{"ip":"","private_key_uuid":"k"}""", "ip")]
    [InlineData("""{"ip":"bad host!","private_key_uuid":"k"}""", "ip")]
    [InlineData("""{"ip":"../../etc/passwd","private_key_uuid":"k"}""", "ip")]
    [InlineData("""{"ip":"192.0.2.1;reboot","private_key_uuid":"k"}""", "ip")]
    [InlineData("""{"ip":"ünïcødé.example","private_key_uuid":"k"}""", "ip")]
    [InlineData("""{"ip":"-oProxyCommand=x","private_key_uuid":"k"}""", "ip")]
    [InlineData("""{"ip":42,"private_key_uuid":"k"}""", "ip")]
    [InlineData("""{"ip":"192.0.2.9","port":0,"private_key_uuid":"k"}""", "port")]
    [InlineData("""{"ip":"192.0.2.9","port":65536,"private_key_uuid":"k"}""", "port")]
    [InlineData("""{"ip":"192.0.2.9","port":"22","private_key_uuid":"k"}""", "port")]
    [InlineData("""{"ip":"192.0.2.9","port":22.5,"private_key_uuid":"k"}""", "port")]
    [InlineData("""{"ip":"192.0.2.9","port":99999999999,"private_key_uuid":"k"}""", "port")]
    [InlineData("""{"ip":"192.0.2.9","user":"Root","private_key_uuid":"k"}""", "user")]
    [InlineData("""{"ip":"192.0.2.9","user":"$(id)","private_key_uuid":"k"}""", "user")]
    [InlineData("""{"ip":"192.0.2.9","user":"a b","private_key_uuid":"k"}""", "user")]
    [InlineData("""{"ip":"192.0.2.9","user":"","private_key_uuid":"k"}""", "user")]
    [InlineData("""{"ip":"192.0.2.9"}""", "private_key_uuid")]
    [InlineData("""{"ip":"192.0.2.9","private_key_uuid":""}""", "private_key_uuid")]
    [InlineData("""{"ip":"192.0.2.9","private_key_uuid":"k","name":"a\u0007b"}""", "name")]
    [InlineData("""{"ip":"192.0.2.9","private_key_uuid":"k","instant_validate":"yes"}""", "instant_validate")]
    [InlineData("""{"ip":"192.0.2.9","private_key_uuid":"k","team_id":1}""", "team_id")]
    [InlineData("""{"ip":"192.0.2.9","private_key_uuid":"k","is_localhost":true}""", "is_localhost")]
    [InlineData("""{"ip":"192.0.2.9","private_key_uuid":"k","concurrent_builds":3}""", "concurrent_builds")]
    public async Task Create_InvalidBody_Returns422NamingField(string json, string field)
    {
        var response = await factory.RootClient().SendRawAsync(HttpMethod.Post, "/api/v1/servers", json);

        await ApiAssert.ValidationAsync(response, field);
    }

    [Fact]
    public async Task Create_HostNameTooLong_Returns422()
    {
        var key = await SeedKeyAsync();

        var response = await factory.RootClient().PostJsonAsync("/api/v1/servers", new { ip = new string('a', 254), private_key_uuid = key.Uuid });

        await ApiAssert.ValidationAsync(response, "ip");
    }

    [Theory]
    [InlineData("nosuchkey000000000000000")]
    [InlineData("../../keys")]
    [InlineData("KEY'; --")]
    public async Task Create_UnknownPrivateKey_Returns404(string keyUuid)
    {
        var response = await factory.RootClient().PostJsonAsync("/api/v1/servers", new { ip = NextIp(), private_key_uuid = keyUuid });

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Private key not found.");
    }

    [Fact]
    public async Task Create_OtherTeamsPrivateKey_Returns404AndCreatesNothing()
    {
        var key = await SeedKeyAsync(await factory.CreateTeamAsync("b"));
        var ip = NextIp();

        var response = await factory.RootClient().PostJsonAsync("/api/v1/servers", new { ip, private_key_uuid = key.Uuid });

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Private key not found.");
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Servers.AnyAsync(s => s.Ip == ip, Ct));
    }

    [Fact]
    public async Task Create_IpOfExistingServerInTeam_Returns400()
    {
        var key = await SeedKeyAsync();

        var response = await factory.RootClient().PostJsonAsync("/api/v1/servers", new { ip = "127.0.0.1", private_key_uuid = key.Uuid });

        await ApiAssert.MessageAsync(response, HttpStatusCode.BadRequest, "Server with this IP already exists.");
    }

    [Fact]
    public async Task Create_IpUsedByAnotherTeam_Returns201()
    {
        var teamId = await factory.CreateTeamAsync("b");
        var theirs = await SeedRemoteAsync(teamId);
        var key = await SeedKeyAsync();

        var response = await factory.RootClient().PostJsonAsync("/api/v1/servers", new { ip = theirs.Ip, private_key_uuid = key.Uuid });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Create_ReadToken_Returns403MissingWrite()
    {
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));

        var response = await client.PostJsonAsync("/api/v1/servers", new { ip = NextIp(), private_key_uuid = "x" });

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: write");
    }

    [Fact]
    public async Task Create_NoToken_Returns401()
    {
        var response = await factory.ClientWith(null).PostJsonAsync("/api/v1/servers", new { ip = NextIp() });

        await ApiAssert.MessageAsync(response, HttpStatusCode.Unauthorized, "Unauthenticated.");
    }

    [Fact]
    public async Task Get_OwnServer_ReturnsItsSettings()
    {
        var server = await SeedRemoteAsync(0, reachable: true);

        var body = await GetServerAsync(server.Uuid);

        Assert.Equal(server.Id, body.GetProperty("id").GetInt64());
        Assert.Equal(server.Ip, body.GetProperty("ip").GetString());
        Assert.True(body.GetProperty("is_reachable").GetBoolean());
        Assert.Equal(Server.DefaultDeploymentQueueLimit, body.GetProperty("settings").GetProperty("deployment_queue_limit").GetInt32());
        Assert.Equal(Server.DefaultDynamicTimeoutSeconds, body.GetProperty("settings").GetProperty("dynamic_timeout").GetInt32());
    }

    [Fact]
    public async Task Get_OtherTeamsServer_Returns404()
    {
        var other = await SeedRemoteAsync(await factory.CreateTeamAsync("b"));

        var response = await factory.RootClient().GetAsync($"/api/v1/servers/{other.Uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Server not found.");
    }

    [Theory]
    [InlineData("nosuchserver000000000000")]
    [InlineData("Server")]
    [InlineData("%2e%2e%2f%2e%2e%2fetc")]
    [InlineData("a%2500")]
    public async Task Get_UnknownOrImplausibleUuid_Returns404(string uuid)
    {
        var response = await factory.RootClient().GetAsync($"/api/v1/servers/{uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Server not found.");
    }

    [Fact]
    public async Task Get_WriteOnlyToken_Returns403MissingRead()
    {
        var server = await SeedRemoteAsync(0);
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Write));

        var response = await client.GetAsync($"/api/v1/servers/{server.Uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: read");
    }

    [Fact]
    public async Task OpenApi_ServerOperations_UseCoolifysOperationIds()
    {
        var operations = await OpenApiOperations.LoadAsync(factory);

        Assert.Superset(
            new HashSet<string>
            {
                "get /servers list-servers", "post /servers create-server", "get /servers/{uuid} get-server-by-uuid",
                "patch /servers/{uuid} update-server-by-uuid", "delete /servers/{uuid} delete-server-by-uuid",
                "post /servers/{uuid}/validate validate-server-by-uuid",
            },
            operations.ToHashSet());
        Assert.DoesNotContain(operations, o => o.StartsWith("get /servers/{uuid}/validate", StringComparison.Ordinal));
    }
}
