using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Projects;

public sealed class EnvironmentsEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Seeder _seed = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_OwnProject_ReturnsEnvironmentsInContractShape()
    {
        var project = await _seed.ProjectAsync();

        var response = await factory.RootClient().GetAsync($"/api/v1/projects/{project.Uuid}/environments", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var environment = Assert.Single((await response.JsonAsync()).EnumerateArray());
        Assert.Equal(
            ["id", "uuid", "name", "project_id", "description", "created_at", "updated_at"],
            environment.EnumerateObject().Select(p => p.Name));
        Assert.Equal(project.Environments[0].Id, environment.GetProperty("id").GetInt64());
        Assert.Equal("production", environment.GetProperty("name").GetString());
        Assert.Equal(project.Id, environment.GetProperty("project_id").GetInt64());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", environment.GetProperty("created_at").GetString());
    }

    [Fact]
    public async Task List_OtherTeamsProject_Returns404()
    {
        var other = await _seed.ProjectAsync(await factory.CreateTeamAsync("b"));

        var response = await factory.RootClient().GetAsync($"/api/v1/projects/{other.Uuid}/environments", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Project not found.");
    }

    [Fact]
    public async Task List_UnknownProject_Returns404()
    {
        var response = await factory.RootClient().GetAsync("/api/v1/projects/nosuchproject0000000000/environments", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Project not found.");
    }

    [Fact]
    public async Task List_NoToken_Returns401()
    {
        var project = await _seed.ProjectAsync();

        var response = await factory.ClientWith(null).GetAsync($"/api/v1/projects/{project.Uuid}/environments", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Unauthorized, "Unauthenticated.");
    }

    [Fact]
    public async Task List_WriteOnlyToken_Returns403MissingRead()
    {
        var project = await _seed.ProjectAsync();
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Write));

        var response = await client.GetAsync($"/api/v1/projects/{project.Uuid}/environments", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: read");
    }

    [Fact]
    public async Task Create_NewName_Returns201AndEnvironmentIsListed()
    {
        var project = await _seed.ProjectAsync();
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Write | ApiAbility.Read));

        var response = await client.PostJsonAsync($"/api/v1/projects/{project.Uuid}/environments", new { name = "staging" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var uuid = (await response.JsonAsync()).GetProperty("uuid").GetString();
        var listed = await (await client.GetAsync($"/api/v1/projects/{project.Uuid}/environments", Ct)).JsonAsync();
        Assert.Equal(["production", "staging"], listed.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(uuid, listed[1].GetProperty("uuid").GetString());
    }

    [Theory]
    [InlineData("production")]
    [InlineData("  production ")]
    public async Task Create_ExistingName_Returns409(string name)
    {
        var project = await _seed.ProjectAsync();

        var response = await factory.RootClient().PostJsonAsync($"/api/v1/projects/{project.Uuid}/environments", new { name });

        await ApiAssert.MessageAsync(response, HttpStatusCode.Conflict, "Environment with this name already exists.");
        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.Environments.CountAsync(e => e.ProjectId == project.Id, Ct));
    }

    [Fact]
    public async Task Create_NameUsedInAnotherProject_Returns201()
    {
        var project = await _seed.ProjectAsync();
        var client = factory.RootClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync($"/api/v1/projects/{project.Uuid}/environments", new { name = "qa" })).StatusCode);
        var second = await _seed.ProjectAsync();

        var response = await client.PostJsonAsync($"/api/v1/projects/{second.Uuid}/environments", new { name = "qa" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("{}", "name")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":12}""", "name")]
    [InlineData("""{"name":"a\nb"}""", "name")]
    [InlineData("""{"name":"ok","description":"not in the contract"}""", "description")]
    [InlineData("""{"name":"ok","project_id":1}""", "project_id")]
    public async Task Create_InvalidBody_Returns422NamingField(string json, string field)
    {
        var project = await _seed.ProjectAsync();

        var response = await factory.RootClient().SendRawAsync(HttpMethod.Post, $"/api/v1/projects/{project.Uuid}/environments", json);

        await ApiAssert.ValidationAsync(response, field);
    }

    [Fact]
    public async Task Create_NameTooLong_Returns422()
    {
        var project = await _seed.ProjectAsync();

        var response = await factory.RootClient().PostJsonAsync($"/api/v1/projects/{project.Uuid}/environments", new { name = new string('e', 256) });

        await ApiAssert.ValidationAsync(response, "name");
    }

    [Fact]
    public async Task Create_OtherTeamsProject_Returns404AndAddsNothing()
    {
        var other = await _seed.ProjectAsync(await factory.CreateTeamAsync("b"));

        var response = await factory.RootClient().PostJsonAsync($"/api/v1/projects/{other.Uuid}/environments", new { name = "intruder" });

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Project not found.");
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Environments.AnyAsync(e => e.Name == "intruder", Ct));
    }

    [Fact]
    public async Task Create_ReadToken_Returns403MissingWrite()
    {
        var project = await _seed.ProjectAsync();
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));

        var response = await client.PostJsonAsync($"/api/v1/projects/{project.Uuid}/environments", new { name = "x" });

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: write");
    }

    [Fact]
    public async Task Create_NoToken_Returns401()
    {
        var project = await _seed.ProjectAsync();

        var response = await factory.ClientWith(null).PostJsonAsync($"/api/v1/projects/{project.Uuid}/environments", new { name = "x" });

        await ApiAssert.MessageAsync(response, HttpStatusCode.Unauthorized, "Unauthenticated.");
    }

    [Fact]
    public async Task Create_HostileBodies_NeverAnswer5xx()
    {
        var project = await _seed.ProjectAsync();

        await HostileInput.AssertNever5xxAsync(factory.RootClient(), HttpMethod.Post, $"/api/v1/projects/{project.Uuid}/environments", ["name"]);
    }
}
