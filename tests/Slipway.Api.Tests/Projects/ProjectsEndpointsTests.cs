using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Projects;

public sealed partial class ProjectsEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Seeder _seed = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_RootToken_ReturnsOwnTeamsProjectsInContractShape()
    {
        var own = await _seed.ProjectAsync(name: "listed");
        var other = await _seed.ProjectAsync(await factory.CreateTeamAsync("b"), "hidden");

        var response = await factory.RootClient().GetAsync("/api/v1/projects", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var projects = (await response.JsonAsync()).EnumerateArray().ToList();
        var listed = Assert.Single(projects, p => p.GetProperty("uuid").GetString() == own.Uuid);
        Assert.DoesNotContain(projects, p => p.GetProperty("uuid").GetString() == other.Uuid);
        Assert.Equal(["id", "uuid", "name", "description"], listed.EnumerateObject().Select(p => p.Name));
        Assert.Equal(own.Id, listed.GetProperty("id").GetInt64());
        Assert.Equal("listed", listed.GetProperty("name").GetString());
    }

    [Fact]
    public async Task List_NoToken_Returns401()
    {
        var response = await factory.ClientWith(null).GetAsync("/api/v1/projects", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Unauthorized, "Unauthenticated.");
    }

    [Fact]
    public async Task List_WriteOnlyToken_Returns403MissingRead()
    {
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Write));

        var response = await client.GetAsync("/api/v1/projects", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: read");
    }

    [Fact]
    public async Task Create_WriteToken_Returns201AndStoresProjectWithProductionEnvironment()
    {
        var teamId = await factory.CreateTeamAsync("creator");
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Write, teamId));

        var response = await client.PostJsonAsync("/api/v1/projects", new { name = "  shop  ", description = "The shop" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(["uuid"], body.EnumerateObject().Select(p => p.Name));
        var uuid = body.GetProperty("uuid").GetString();
        await using var db = factory.CreateDbContext();
        var project = await db.Projects.Include(p => p.Environments).SingleAsync(p => p.Uuid == uuid, Ct);
        Assert.Equal(teamId, project.TeamId);
        Assert.Equal("shop", project.Name);
        Assert.Equal("The shop", project.Description);
        Assert.Equal("production", Assert.Single(project.Environments).Name);
    }

    [Fact]
    public async Task Create_UnicodeQuotesAndPathLikeText_StoredVerbatim()
    {
        const string name = "Ünïcødé \"quoted\" '; DROP TABLE projects; -- ../../etc %00 🚀";

        var response = await factory.RootClient().PostJsonAsync("/api/v1/projects", new { name, description = "<script>x</script>\n../" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var uuid = (await response.JsonAsync()).GetProperty("uuid").GetString();
        var project = await (await factory.RootClient().GetAsync($"/api/v1/projects/{uuid}", Ct)).JsonAsync();
        Assert.Equal(name, project.GetProperty("name").GetString());
        Assert.Equal("<script>x</script>\n../", project.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Create_ReadToken_Returns403MissingWrite()
    {
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));

        var response = await client.PostJsonAsync("/api/v1/projects", new { name = "x" });

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: write");
    }

    [Fact]
    public async Task Create_NoToken_Returns401()
    {
        var response = await factory.ClientWith(null).PostJsonAsync("/api/v1/projects", new { name = "x" });

        await ApiAssert.MessageAsync(response, HttpStatusCode.Unauthorized, "Unauthenticated.");
    }

    [Theory]
    [InlineData("{}", "name")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"   "}""", "name")]
    [InlineData("""{"name":null}""", "name")]
    [InlineData("""{"name":5}""", "name")]
    [InlineData("""{"name":["a"]}""", "name")]
    [InlineData("""{"name":"a\u0000b"}""", "name")]
    [InlineData("""{"name":"ok","description":7}""", "description")]
    [InlineData("""{"name":"ok","team_id":1}""", "team_id")]
    [InlineData("""{"name":"ok","uuid":"abc"}""", "uuid")]
    public async Task Create_InvalidBody_Returns422NamingField(string json, string field)
    {
        var response = await factory.RootClient().SendRawAsync(HttpMethod.Post, "/api/v1/projects", json);

        await ApiAssert.ValidationAsync(response, field);
    }

    [Fact]
    public async Task Create_TooLongNameAndDescription_Returns422ForBoth()
    {
        var response = await factory.RootClient().PostJsonAsync(
            "/api/v1/projects", new { name = new string('n', 256), description = new string('d', 2001) });

        await ApiAssert.ValidationAsync(response, "name");
        await ApiAssert.ValidationAsync(response, "description");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"name\":")]
    public async Task Create_MalformedJson_Returns400(string json)
    {
        var response = await factory.RootClient().SendRawAsync(HttpMethod.Post, "/api/v1/projects", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await response.JsonAsync()).GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Create_HugeBody_Returns413()
    {
        var json = JsonSerializer.Serialize(new { name = new string('x', 2 * 1024 * 1024) });

        var response = await factory.RootClient().SendRawAsync(HttpMethod.Post, "/api/v1/projects", json);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Get_OwnProject_ReturnsProjectWithEnvironments()
    {
        var project = await _seed.ProjectAsync(name: "detail");

        var response = await factory.RootClient().GetAsync($"/api/v1/projects/{project.Uuid}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(["id", "uuid", "name", "description", "environments"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("detail", body.GetProperty("name").GetString());
        var environment = Assert.Single(body.GetProperty("environments").EnumerateArray());
        Assert.Equal("production", environment.GetProperty("name").GetString());
        Assert.Equal(project.Id, environment.GetProperty("project_id").GetInt64());
        Assert.Equal(project.Environments[0].Uuid, environment.GetProperty("uuid").GetString());
    }

    [Fact]
    public async Task Get_OtherTeamsProject_Returns404()
    {
        var other = await _seed.ProjectAsync(await factory.CreateTeamAsync("b"));

        var response = await factory.RootClient().GetAsync($"/api/v1/projects/{other.Uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Project not found.");
    }

    // A raw %00 in the path never reaches the app (TestServer refuses to send it; Kestrel answers 400), so the
    // NUL case is the encoded "%2500", which arrives as the text "%00".
    [Theory]
    [InlineData("abcdefghijklmnopqrstuvwx")]
    [InlineData("ABCDEF")]
    [InlineData("a%2500b")]
    [InlineData("x'%20or%20'1'='1")]
    [InlineData("..%2F..%2Fetc")]
    [InlineData("%C3%BCnicode")]
    public async Task Get_UnknownOrImplausibleUuid_Returns404(string uuid)
    {
        var response = await factory.RootClient().GetAsync($"/api/v1/projects/{uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Project not found.");
    }

    [Fact]
    public async Task Get_WriteOnlyToken_Returns403MissingRead()
    {
        var project = await _seed.ProjectAsync();
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Write));

        var response = await client.GetAsync($"/api/v1/projects/{project.Uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: read");
    }

    [Fact]
    public async Task OpenApi_ProjectOperations_UseCoolifysOperationIds()
    {
        var operations = await OpenApiOperations.LoadAsync(factory);

        Assert.Superset(
            new HashSet<string>
            {
                "get /projects list-projects", "post /projects create-project", "get /projects/{uuid} get-project-by-uuid",
                "patch /projects/{uuid} update-project-by-uuid", "delete /projects/{uuid} delete-project-by-uuid",
                "get /projects/{uuid}/environments get-environments", "post /projects/{uuid}/environments create-environment",
            },
            operations.ToHashSet());
    }
}
