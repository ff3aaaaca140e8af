using System.Net;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.PrivateKeys;

/// <summary>GET /security/keys and GET /security/keys/{uuid}.</summary>
public sealed partial class PrivateKeysEndpointsTests
{
    [Fact]
    public async Task ListAndGet_RootToken_ReturnContractFieldsAndNeverKeyMaterial()
    {
        var generated = await TestSshKeys.GenerateAsync("ed25519");
        var uuid = await CreateKeyAsync(factory.RootClient(), generated.PrivateKey, "listed");
        var otherTeam = await factory.CreateTeamAsync("b");
        var otherUuid = await CreateKeyAsync(factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Write, otherTeam)), generated.PrivateKey, "theirs");

        var list = await factory.RootClient().GetAsync("/api/v1/security/keys", Ct);
        var single = await factory.RootClient().GetAsync($"/api/v1/security/keys/{uuid}", Ct);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        var keys = (await list.JsonAsync()).EnumerateArray().ToList();
        Assert.Contains(keys, k => k.GetProperty("uuid").GetString() == uuid);
        Assert.DoesNotContain(keys, k => k.GetProperty("uuid").GetString() == otherUuid);
        var key = await single.JsonAsync();
        Assert.Equal(
            ["id", "uuid", "name", "description", "public_key", "fingerprint", "is_git_related", "team_id", "created_at", "updated_at"],
            key.EnumerateObject().Select(p => p.Name));
        Assert.Equal(generated.PublicKey, key.GetProperty("public_key").GetString());
        Assert.Equal(generated.Fingerprint, key.GetProperty("fingerprint").GetString());
        Assert.False(key.GetProperty("is_git_related").GetBoolean());
        Assert.Equal(0, key.GetProperty("team_id").GetInt64());
        AssertNoKeyMaterial(await list.Content.ReadAsStringAsync(Ct), generated.PrivateKey);
        AssertNoKeyMaterial(await single.Content.ReadAsStringAsync(Ct), generated.PrivateKey);
    }

    [Fact]
    public async Task List_WriteOnlyToken_Returns403MissingRead()
    {
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Write));

        var response = await client.GetAsync("/api/v1/security/keys", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: read");
    }

    [Fact]
    public async Task List_NoToken_Returns401()
    {
        var response = await factory.ClientWith(null).GetAsync("/api/v1/security/keys", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Unauthorized, "Unauthenticated.");
    }

    [Fact]
    public async Task Get_OtherTeamsKey_Returns404()
    {
        var otherTeam = await factory.CreateTeamAsync("b");
        var uuid = await CreateKeyAsync(factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Write, otherTeam)), (await TestSshKeys.GenerateAsync("ed25519")).PrivateKey);

        var response = await factory.RootClient().GetAsync($"/api/v1/security/keys/{uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Private Key not found.");
    }

    [Theory]
    [InlineData("nosuchkey000000000000000")]
    [InlineData("NOT-PLAUSIBLE")]
    [InlineData("%2e%2e%2fsecrets")]
    public async Task Get_UnknownOrImplausibleUuid_Returns404(string uuid)
    {
        var response = await factory.RootClient().GetAsync($"/api/v1/security/keys/{uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Private Key not found.");
    }

    [Fact]
    public async Task Get_WriteOnlyToken_Returns403MissingRead()
    {
        var uuid = await CreateKeyAsync(factory.RootClient(), (await TestSshKeys.GenerateAsync("ed25519")).PrivateKey);
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Write));

        var response = await client.GetAsync($"/api/v1/security/keys/{uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: read");
    }

    [Fact]
    public async Task OpenApi_PrivateKeyOperations_UseCoolifysOperationIds()
    {
        var operations = await OpenApiOperations.LoadAsync(factory);

        Assert.Superset(
            new HashSet<string>
            {
                "get /security/keys list-private-keys", "post /security/keys create-private-key",
                "get /security/keys/{uuid} get-private-key-by-uuid", "patch /security/keys/{uuid} update-private-key",
                "delete /security/keys/{uuid} delete-private-key-by-uuid",
            },
            operations.ToHashSet());
    }
}
