using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Servers;

/// <summary>POST /servers/{uuid}/validate (and the 405 for GET).</summary>
public sealed partial class ServersEndpointsTests
{
    [Fact]
    public async Task Validate_LocalhostServer_RunsDockerAndMarksItReachableAndUsable()
    {
        var teamId = await factory.CreateTeamAsync("local");
        var localhost = await _seed.ServerAsync(teamId);
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Write, teamId));

        var response = await client.PostAsync($"/api/v1/servers/{localhost.Uuid}/validate", null, Ct);

        Assert.Equal("Validation finished.", (await ApiAssert.JsonElementAsync(response, HttpStatusCode.Created)).GetProperty("message").GetString());
        await using var db = factory.CreateDbContext();
        var stored = await db.Servers.SingleAsync(s => s.Id == localhost.Id, Ct);
        Assert.True(stored.IsReachable);
        Assert.True(stored.IsUsable, stored.ValidationLogs);
        Assert.Contains("Docker", stored.ValidationLogs, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Validate_UnreachableRemoteServer_RecordsWhyAndClaimsNothing()
    {
        var server = await SeedRemoteAsync(await factory.CreateTeamAsync("unreachable"), reachable: true, loopback: true);

        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Root, server.TeamId));
        var response = await client.SendRawAsync(HttpMethod.Post, $"/api/v1/servers/{server.Uuid}/validate", "{}");

        Assert.Equal("Validation finished.", (await ApiAssert.JsonElementAsync(response, HttpStatusCode.Created)).GetProperty("message").GetString());
        var body = await GetServerAsync(server.Uuid, client);
        Assert.StartsWith("Could not open an SSH session with ", body.GetProperty("validation_logs").GetString(), StringComparison.Ordinal);
        Assert.False(body.GetProperty("is_reachable").GetBoolean());
        Assert.False(body.GetProperty("settings").GetProperty("is_usable").GetBoolean());
    }

    [Fact]
    public async Task Validate_InstallRequested_Returns422NotSupported()
    {
        var server = await SeedRemoteAsync(0);

        var response = await factory.RootClient().PostJsonAsync($"/api/v1/servers/{server.Uuid}/validate", new { install = true });

        Assert.Equal(["This field is not supported by Slipway."], await ApiAssert.ValidationAsync(response, "install"));
    }

    [Fact]
    public async Task Validate_UnknownField_Returns422()
    {
        var server = await SeedRemoteAsync(0);

        var response = await factory.RootClient().PostJsonAsync($"/api/v1/servers/{server.Uuid}/validate", new { force = true });

        await ApiAssert.ValidationAsync(response, "force");
    }

    [Fact]
    public async Task Validate_Get_Returns405WithAllowPost()
    {
        var server = await SeedRemoteAsync(0);

        var response = await factory.RootClient().GetAsync($"/api/v1/servers/{server.Uuid}/validate", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.MethodNotAllowed, "This endpoint has changed to a POST request.");
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Validate_OtherTeamsServer_Returns404AndChangesNothing()
    {
        var other = await SeedRemoteAsync(await factory.CreateTeamAsync("b"), reachable: true);

        var response = await factory.RootClient().PostAsync($"/api/v1/servers/{other.Uuid}/validate", null, Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Server not found.");
        await using var db = factory.CreateDbContext();
        Assert.True((await db.Servers.SingleAsync(s => s.Id == other.Id, Ct)).IsReachable);
    }

    [Fact]
    public async Task Validate_ReadToken_Returns403MissingWrite()
    {
        var server = await SeedRemoteAsync(0);
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));

        var response = await client.PostAsync($"/api/v1/servers/{server.Uuid}/validate", null, Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: write");
    }

    [Fact]
    public async Task Validate_NoToken_Returns401()
    {
        var server = await SeedRemoteAsync(0);

        var response = await factory.ClientWith(null).PostAsync($"/api/v1/servers/{server.Uuid}/validate", null, Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Unauthorized, "Unauthenticated.");
    }

    [Fact]
    public async Task WriteEndpoints_HostileBodies_NeverAnswer5xx()
    {
        // Some bodies ask for validation, which really connects: the server must be on loopback.
        var server = await SeedRemoteAsync(await factory.CreateTeamAsync("hostile"), loopback: true);
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Root, server.TeamId));
        string[] fields = ["name", "description", "ip", "port", "user", "private_key_uuid", "instant_validate", "is_build_server", "allow_host_network"];

        await HostileInput.AssertNever5xxAsync(client, HttpMethod.Post, "/api/v1/servers", fields);
        await HostileInput.AssertNever5xxAsync(
            client, HttpMethod.Patch, $"/api/v1/servers/{server.Uuid}", [.. fields, "concurrent_builds", "deployment_queue_limit", "dynamic_timeout", "deployment_log_max_lines", "deployment_log_max_bytes", "deployment_log_retention"]);
        await HostileInput.AssertNever5xxAsync(client, HttpMethod.Post, $"/api/v1/servers/{server.Uuid}/validate", ["install"]);
    }
}
