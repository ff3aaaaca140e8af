using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.PrivateKeys;

/// <summary>PATCH and DELETE /security/keys/{uuid}.</summary>
public sealed partial class PrivateKeysEndpointsTests
{
    [Fact]
    public async Task Update_NameAndDescription_Returns201AndKeepsKey()
    {
        var generated = await TestSshKeys.GenerateAsync("ed25519");
        var uuid = await CreateKeyAsync(factory.RootClient(), generated.PrivateKey, "old");

        var response = await factory.RootClient().PatchJsonAsync($"/api/v1/security/keys/{uuid}", new { name = "new", description = "described" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(uuid, (await response.JsonAsync()).GetProperty("uuid").GetString());
        var key = await GetKeyAsync(uuid);
        Assert.Equal("new", key.GetProperty("name").GetString());
        Assert.Equal("described", key.GetProperty("description").GetString());
        Assert.Equal(generated.Fingerprint, key.GetProperty("fingerprint").GetString());
    }

    [Fact]
    public async Task Update_NewKeyMaterial_ReplacesKeyAndResetsServersValidatedWithOldOne()
    {
        var first = await TestSshKeys.GenerateAsync("ed25519");
        var second = await TestSshKeys.GenerateOtherAsync("ed25519");
        var uuid = await CreateKeyAsync(factory.RootClient(), first.PrivateKey);
        var server = await SeedRemoteServerAsync(uuid, reachable: true);

        var response = await factory.RootClient().PatchJsonAsync($"/api/v1/security/keys/{uuid}", new { private_key = second.PrivateKey });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        AssertNoKeyMaterial(await response.Content.ReadAsStringAsync(Ct), second.PrivateKey);
        var key = await GetKeyAsync(uuid);
        Assert.Equal(second.Fingerprint, key.GetProperty("fingerprint").GetString());
        Assert.Equal(second.PublicKey, key.GetProperty("public_key").GetString());
        await using var db = factory.CreateDbContext();
        var stored = await db.Servers.SingleAsync(s => s.Id == server.Id, Ct);
        Assert.False(stored.IsReachable);
        Assert.False(stored.IsUsable);
    }

    [Theory]
    [InlineData("""{"private_key":"garbage"}""", "private_key")]
    [InlineData("""{"private_key":null}""", "private_key")]
    [InlineData("""{"name":null}""", "name")]
    [InlineData("""{"name":"  "}""", "name")]
    [InlineData("""{"fingerprint":"SHA256:forged"}""", "fingerprint")]
    [InlineData("""{"public_key":"ssh-ed25519 AAAA"}""", "public_key")]
    public async Task Update_InvalidBody_Returns422AndChangesNothing(string json, string field)
    {
        var generated = await TestSshKeys.GenerateAsync("ed25519");
        var uuid = await CreateKeyAsync(factory.RootClient(), generated.PrivateKey, "same");

        var response = await factory.RootClient().SendRawAsync(HttpMethod.Patch, $"/api/v1/security/keys/{uuid}", json);

        await ApiAssert.ValidationAsync(response, field);
        var key = await GetKeyAsync(uuid);
        Assert.Equal("same", key.GetProperty("name").GetString());
        Assert.Equal(generated.Fingerprint, key.GetProperty("fingerprint").GetString());
    }

    [Fact]
    public async Task Update_OtherTeamsKey_Returns404()
    {
        var otherTeam = await factory.CreateTeamAsync("b");
        var uuid = await CreateKeyAsync(factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Write, otherTeam)), (await TestSshKeys.GenerateAsync("ed25519")).PrivateKey, "theirs");

        var response = await factory.RootClient().PatchJsonAsync($"/api/v1/security/keys/{uuid}", new { name = "mine" });

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Private Key not found.");
        await using var db = factory.CreateDbContext();
        Assert.Equal("theirs", (await db.PrivateKeys.SingleAsync(k => k.Uuid == uuid, Ct)).Name);
    }

    [Fact]
    public async Task Update_ReadToken_Returns403MissingWrite()
    {
        var uuid = await CreateKeyAsync(factory.RootClient(), (await TestSshKeys.GenerateAsync("ed25519")).PrivateKey);
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));

        var response = await client.PatchJsonAsync($"/api/v1/security/keys/{uuid}", new { name = "x" });

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: write");
    }

    [Fact]
    public async Task Delete_UnusedKey_Returns200AndRemovesIt()
    {
        var uuid = await CreateKeyAsync(factory.RootClient(), (await TestSshKeys.GenerateAsync("ed25519")).PrivateKey);

        var response = await factory.RootClient().DeleteAsync($"/api/v1/security/keys/{uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.OK, "Private Key deleted.");
        await using var db = factory.CreateDbContext();
        Assert.False(await db.PrivateKeys.AnyAsync(k => k.Uuid == uuid, Ct));
    }

    [Fact]
    public async Task Delete_KeyUsedByServer_Returns422AndKeepsIt()
    {
        var uuid = await CreateKeyAsync(factory.RootClient(), (await TestSshKeys.GenerateAsync("ed25519")).PrivateKey);
        await SeedRemoteServerAsync(uuid, reachable: false);

        var response = await factory.RootClient().DeleteAsync($"/api/v1/security/keys/{uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.UnprocessableEntity, "Private Key is in use and cannot be deleted.");
        await using var db = factory.CreateDbContext();
        Assert.True(await db.PrivateKeys.AnyAsync(k => k.Uuid == uuid, Ct));
    }

    [Fact]
    public async Task Delete_KeyUsedByApplication_Returns422AndKeepsIt()
    {
        var uuid = await CreateKeyAsync(factory.RootClient(), (await TestSshKeys.GenerateAsync("ed25519")).PrivateKey);
        await using var db = factory.CreateDbContext();
        var keyId = await db.PrivateKeys.Where(k => k.Uuid == uuid).Select(k => k.Id).SingleAsync(Ct);
        await _seed.ApplicationAsync(configure: a => a.PrivateKeyId = keyId);

        var response = await factory.RootClient().DeleteAsync($"/api/v1/security/keys/{uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.UnprocessableEntity, "Private Key is in use and cannot be deleted.");
        Assert.True(await db.PrivateKeys.AnyAsync(k => k.Uuid == uuid, Ct));
    }

    [Fact]
    public async Task Delete_OtherTeamsKey_Returns404AndKeepsIt()
    {
        var otherTeam = await factory.CreateTeamAsync("b");
        var uuid = await CreateKeyAsync(factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Write, otherTeam)), (await TestSshKeys.GenerateAsync("ed25519")).PrivateKey);

        var response = await factory.RootClient().DeleteAsync($"/api/v1/security/keys/{uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Private Key not found.");
        await using var db = factory.CreateDbContext();
        Assert.True(await db.PrivateKeys.AnyAsync(k => k.Uuid == uuid, Ct));
    }

    [Fact]
    public async Task Delete_ReadToken_Returns403MissingWrite()
    {
        var uuid = await CreateKeyAsync(factory.RootClient(), (await TestSshKeys.GenerateAsync("ed25519")).PrivateKey);
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));

        var response = await client.DeleteAsync($"/api/v1/security/keys/{uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: write");
    }

    [Fact]
    public async Task WriteEndpoints_HostileBodies_NeverAnswer5xx()
    {
        var uuid = await CreateKeyAsync(factory.RootClient(), (await TestSshKeys.GenerateAsync("ed25519")).PrivateKey);
        var client = factory.RootClient();
        string[] fields = ["name", "description", "private_key"];

        await HostileInput.AssertNever5xxAsync(client, HttpMethod.Post, "/api/v1/security/keys", fields);
        await HostileInput.AssertNever5xxAsync(client, HttpMethod.Patch, $"/api/v1/security/keys/{uuid}", fields);
    }
}
