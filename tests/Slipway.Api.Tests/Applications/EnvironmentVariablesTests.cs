using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Applications;

public sealed class EnvironmentVariablesTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Seeder _seed = new(factory);

    [Fact]
    public async Task Create_ThenList_ValueVisibleOnlyToSensitiveTokens_AndEncryptedAtRest()
    {
        var app = await _seed.ApplicationAsync(name: "env-list");
        var created = await factory.RootClient().PostBodyAsync($"/api/v1/applications/{app.Uuid}/envs",
            new { key = "DATABASE_URL", value = "postgres://u:p@db/app", is_buildtime = true });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var asRead = (await factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read)).GetJsonAsync($"/api/v1/applications/{app.Uuid}/envs")).AsArray();
        var asRoot = (await factory.RootClient().GetJsonAsync($"/api/v1/applications/{app.Uuid}/envs")).AsArray();

        Assert.False(asRead.Single()!.AsObject().ContainsKey("value"));
        Assert.Equal("postgres://u:p@db/app", asRoot.Single()!["value"]!.GetValue<string>());
        Assert.True(asRoot.Single()!["is_buildtime"]!.GetValue<bool>());
        await using var db = factory.CreateDbContext();
        var stored = await db.EnvironmentVariables.SingleAsync(v => v.ApplicationId == app.Id, TestContext.Current.CancellationToken);
        Assert.DoesNotContain("postgres://", stored.ProtectedValue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ShownOnce_ValueNeverReturned()
    {
        var app = await _seed.ApplicationAsync(name: "env-locked");
        await factory.RootClient().PostBodyAsync($"/api/v1/applications/{app.Uuid}/envs", new { key = "API_KEY", value = "topsecret", is_shown_once = true });

        var body = await (await factory.RootClient().GetAsync($"/api/v1/applications/{app.Uuid}/envs", TestContext.Current.CancellationToken))
            .Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain("topsecret", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Duplicate_Returns409()
    {
        var app = await _seed.ApplicationAsync(name: "env-dup");
        await factory.RootClient().PostBodyAsync($"/api/v1/applications/{app.Uuid}/envs", new { key = "A", value = "1" });

        var response = await factory.RootClient().PostBodyAsync($"/api/v1/applications/{app.Uuid}/envs", new { key = "A", value = "2" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Theory]
    [InlineData("1BAD", "x", "key")]
    [InlineData("BAD KEY", "x", "key")]
    [InlineData("GOOD", "line1\nline2", "value")]
    public async Task Create_InvalidKeyOrValue_Returns422(string key, string value, string field)
    {
        var app = await _seed.ApplicationAsync(name: "env-bad-" + field);

        var response = await factory.RootClient().PostBodyAsync($"/api/v1/applications/{app.Uuid}/envs", new { key, value });

        Assert.Equal([field], await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task Patch_ExistingKey_UpdatesValue_UnknownKeyIs404()
    {
        var app = await _seed.ApplicationAsync(name: "env-patch");
        await factory.RootClient().PostBodyAsync($"/api/v1/applications/{app.Uuid}/envs", new { key = "A", value = "1" });

        var updated = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}/envs", new { key = "A", value = "2" });
        var missing = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}/envs", new { key = "B", value = "2" });

        Assert.Equal("2", (await updated.NodeAsync())["value"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Bulk_UpsertsAll_AndValidatesEachItem()
    {
        var app = await _seed.ApplicationAsync(name: "env-bulk");
        await factory.RootClient().PostBodyAsync($"/api/v1/applications/{app.Uuid}/envs", new { key = "A", value = "old" });

        var ok = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}/envs/bulk",
            new { data = new object[] { new { key = "A", value = "new" }, new { key = "B", value = "b", is_preview = true } } });
        var bad = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}/envs/bulk",
            new { data = new object[] { new { key = "OK", value = "1" }, new { key = "9no", value = "2" } } });

        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal(2, (await ok.NodeAsync()).AsArray().Count);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal(["data.1.key"], await bad.ErrorFieldsAsync());
        await using var db = factory.CreateDbContext();
        Assert.Equal(2, await db.EnvironmentVariables.CountAsync(v => v.ApplicationId == app.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Delete_RemovesVariable_UnknownIs404()
    {
        var app = await _seed.ApplicationAsync(name: "env-delete");
        var created = await (await factory.RootClient().PostBodyAsync($"/api/v1/applications/{app.Uuid}/envs", new { key = "A", value = "1" })).NodeAsync();
        var envUuid = created["uuid"]!.GetValue<string>();

        var deleted = await factory.RootClient().DeleteAsync($"/api/v1/applications/{app.Uuid}/envs/{envUuid}", TestContext.Current.CancellationToken);
        var again = await factory.RootClient().DeleteAsync($"/api/v1/applications/{app.Uuid}/envs/{envUuid}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }
}
