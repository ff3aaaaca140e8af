using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Common;
using Slipway.Core.Secrets;
using Slipway.Core.Servers;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.PrivateKeys;

public sealed partial class PrivateKeysEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Seeder _seed = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_Ed25519Key_Returns201AndStoresKeyOnlyEncrypted()
    {
        var generated = await TestSshKeys.GenerateAsync("ed25519");

        var response = await factory.RootClient().PostJsonAsync(
            "/api/v1/security/keys", new { name = "deploy", description = "CI key", private_key = generated.PrivateKey });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(["uuid"], body.EnumerateObject().Select(p => p.Name));
        await using var db = factory.CreateDbContext();
        var stored = await db.PrivateKeys.SingleAsync(k => k.Uuid == body.GetProperty("uuid").GetString(), Ct);
        Assert.Equal("deploy", stored.Name);
        Assert.Equal("CI key", stored.Description);
        Assert.Equal(generated.PublicKey, stored.PublicKey);
        Assert.Equal(generated.Fingerprint, stored.Fingerprint);
        Assert.Equal(0, stored.TeamId);
        AssertNoKeyMaterial(stored.ProtectedPrivateKey, generated.PrivateKey);
        var protector = factory.Services.GetRequiredService<ISecretProtector>();
        Assert.Equal(generated.PrivateKey.Trim() + "\n", protector.Unprotect(stored.ProtectedPrivateKey));
    }

    [Fact]
    public async Task Create_RsaKeyWithoutName_IsNamedAfterItsFingerprint()
    {
        var generated = await TestSshKeys.GenerateAsync("rsa");

        var response = await factory.RootClient().PostJsonAsync("/api/v1/security/keys", new { private_key = generated.PrivateKey });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var key = await GetKeyAsync((await response.JsonAsync()).GetProperty("uuid").GetString()!);
        Assert.Equal(generated.Fingerprint, key.GetProperty("name").GetString());
        Assert.Equal(generated.PublicKey, key.GetProperty("public_key").GetString());
    }

    [Fact]
    public async Task Create_PassphraseProtectedKey_Returns422SayingSo()
    {
        var generated = await TestSshKeys.GenerateAsync("ed25519", passphrase: "secret");

        var response = await factory.RootClient().PostJsonAsync("/api/v1/security/keys", new { private_key = generated.PrivateKey });

        var messages = await ApiAssert.ValidationAsync(response, "private_key");
        Assert.Contains("passphrase", Assert.Single(messages), StringComparison.Ordinal);
        AssertNoKeyMaterial(await response.Content.ReadAsStringAsync(Ct), generated.PrivateKey);
    }

    [Theory]
    [InlineData("{}", "private_key")]
    [InlineData("""{"private_key":null}""", "private_key")]
    [InlineData("""{"private_key":""}""", "private_key")]
    [InlineData("""{"private_key":"not a key"}""", "private_key")]
    [InlineData("""{"private_key":"-----BEGIN OPENSSH PRIVATE KEY-----\n../../etc/shadow %00 \"quoted\"\n-----END OPENSSH PRIVATE KEY-----"}""", "private_key")]
    [InlineData("""{"private_key":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"}""", "private_key")]
    [InlineData("""{"private_key":42}""", "private_key")]
    [InlineData("""{"private_key":{"pem":"x"}}""", "private_key")]
    [InlineData("""{"private_key":"x","team_id":5}""", "team_id")]
    [InlineData("""{"private_key":"x","is_git_related":true}""", "is_git_related")]
    [InlineData("""{"private_key":"x","name":false}""", "name")]
    public async Task Create_InvalidBody_Returns422NamingField(string json, string field)
    {
        var response = await factory.RootClient().SendRawAsync(HttpMethod.Post, "/api/v1/security/keys", json);

        await ApiAssert.ValidationAsync(response, field);
    }

    [Fact]
    public async Task Create_TooLongKeyNameAndDescription_Returns422ForEach()
    {
        var response = await factory.RootClient().PostJsonAsync("/api/v1/security/keys", new
        {
            name = new string('n', 256),
            description = new string('d', 2001),
            private_key = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + new string('A', 40_000) + "\n-----END OPENSSH PRIVATE KEY-----",
        });

        await ApiAssert.ValidationAsync(response, "name");
        await ApiAssert.ValidationAsync(response, "description");
        Assert.Equal(["The private key must be at most 32 KB."], await ApiAssert.ValidationAsync(response, "private_key"));
    }

    [Fact]
    public async Task Create_ReadToken_Returns403MissingWrite()
    {
        var generated = await TestSshKeys.GenerateAsync("ed25519");
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));

        var response = await client.PostJsonAsync("/api/v1/security/keys", new { private_key = generated.PrivateKey });

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: write");
    }

    [Fact]
    public async Task Create_NoToken_Returns401()
    {
        var response = await factory.ClientWith(null).PostJsonAsync("/api/v1/security/keys", new { private_key = "x" });

        await ApiAssert.MessageAsync(response, HttpStatusCode.Unauthorized, "Unauthenticated.");
    }

    /// <summary>No line of the key's body (and no PEM armour) may appear in <paramref name="text"/>.</summary>
    private static void AssertNoKeyMaterial(string text, string privateKey)
    {
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
        foreach (var line in privateKey.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line, text, StringComparison.Ordinal);
        }
    }

    private static async Task<string> CreateKeyAsync(HttpClient client, string privateKey, string? name = null)
    {
        var response = await client.PostJsonAsync("/api/v1/security/keys", new { name, private_key = privateKey });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("uuid").GetString()!;
    }

    private async Task<System.Text.Json.JsonElement> GetKeyAsync(string uuid)
    {
        var response = await factory.RootClient().GetAsync($"/api/v1/security/keys/{uuid}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private async Task<Server> SeedRemoteServerAsync(string keyUuid, bool reachable)
    {
        await using var db = factory.CreateDbContext();
        var key = await db.PrivateKeys.SingleAsync(k => k.Uuid == keyUuid, Ct);
        var now = Timestamps.Truncate(DateTime.UtcNow);
        var server = new Server
        {
            Uuid = PublicId.New(),
            TeamId = key.TeamId,
            Name = "remote",
            Ip = $"192.0.2.{Random.Shared.Next(2, 250)}",
            PrivateKeyId = key.Id,
            IsReachable = reachable,
            IsUsable = reachable,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Servers.Add(server);
        await db.SaveChangesAsync(Ct);
        return server;
    }
}
