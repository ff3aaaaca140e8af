using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Projects;

/// <summary>PATCH and DELETE /projects/{uuid}.</summary>
public sealed partial class ProjectsEndpointsTests
{
    [Fact]
    public async Task Update_NameAndDescription_Returns201WithNewValues()
    {
        var project = await _seed.ProjectAsync(name: "before");

        var response = await factory.RootClient().PatchJsonAsync($"/api/v1/projects/{project.Uuid}", new { name = "after", description = "now described" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(["uuid", "name", "description"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(project.Uuid, body.GetProperty("uuid").GetString());
        Assert.Equal("after", body.GetProperty("name").GetString());
        Assert.Equal("now described", body.GetProperty("description").GetString());
        await using var db = factory.CreateDbContext();
        var stored = await db.Projects.SingleAsync(p => p.Id == project.Id, Ct);
        Assert.Equal("after", stored.Name);
        Assert.True(stored.UpdatedAt >= project.UpdatedAt);
    }

    [Fact]
    public async Task Update_OnlyDescription_KeepsNameAndNullClearsDescription()
    {
        var project = await _seed.ProjectAsync(name: "kept");
        var client = factory.RootClient();
        await client.PatchJsonAsync($"/api/v1/projects/{project.Uuid}", new { description = "set" });

        var response = await client.SendRawAsync(HttpMethod.Patch, $"/api/v1/projects/{project.Uuid}", """{"description":null}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("kept", body.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("description").ValueKind);
    }

    [Theory]
    [InlineData("""{"name":null}""", "name")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":true}""", "name")]
    [InlineData("""{"id":3}""", "id")]
    [InlineData("""{"environments":[]}""", "environments")]
    public async Task Update_InvalidBody_Returns422AndChangesNothing(string json, string field)
    {
        var project = await _seed.ProjectAsync(name: "unchanged");

        var response = await factory.RootClient().SendRawAsync(HttpMethod.Patch, $"/api/v1/projects/{project.Uuid}", json);

        await ApiAssert.ValidationAsync(response, field);
        await using var db = factory.CreateDbContext();
        Assert.Equal("unchanged", (await db.Projects.SingleAsync(p => p.Id == project.Id, Ct)).Name);
    }

    [Fact]
    public async Task Update_OtherTeamsProject_Returns404AndChangesNothing()
    {
        var other = await _seed.ProjectAsync(await factory.CreateTeamAsync("b"), "theirs");

        var response = await factory.RootClient().PatchJsonAsync($"/api/v1/projects/{other.Uuid}", new { name = "mine" });

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Project not found.");
        await using var db = factory.CreateDbContext();
        Assert.Equal("theirs", (await db.Projects.SingleAsync(p => p.Id == other.Id, Ct)).Name);
    }

    [Fact]
    public async Task Update_ReadToken_Returns403MissingWrite()
    {
        var project = await _seed.ProjectAsync();
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));

        var response = await client.PatchJsonAsync($"/api/v1/projects/{project.Uuid}", new { name = "x" });

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: write");
    }

    [Fact]
    public async Task Delete_EmptyProject_Returns200AndRemovesItWithItsEnvironments()
    {
        var project = await _seed.ProjectAsync();

        var response = await factory.RootClient().DeleteAsync($"/api/v1/projects/{project.Uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.OK, "Project deleted.");
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Projects.AnyAsync(p => p.Id == project.Id, Ct));
        Assert.False(await db.Environments.AnyAsync(e => e.ProjectId == project.Id, Ct));
    }

    [Fact]
    public async Task Delete_ProjectWithApplication_Returns400AndKeepsIt()
    {
        var application = await _seed.ApplicationAsync();
        await using var db = factory.CreateDbContext();
        var project = await db.Environments.Where(e => e.Id == application.EnvironmentId).Select(e => e.Project!).SingleAsync(Ct);

        var response = await factory.RootClient().DeleteAsync($"/api/v1/projects/{project.Uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.BadRequest, "Project has resources, so it cannot be deleted.");
        Assert.True(await db.Projects.AnyAsync(p => p.Id == project.Id, Ct));
    }

    [Fact]
    public async Task Delete_OtherTeamsProject_Returns404AndKeepsIt()
    {
        var other = await _seed.ProjectAsync(await factory.CreateTeamAsync("b"));

        var response = await factory.RootClient().DeleteAsync($"/api/v1/projects/{other.Uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.NotFound, "Project not found.");
        await using var db = factory.CreateDbContext();
        Assert.True(await db.Projects.AnyAsync(p => p.Id == other.Id, Ct));
    }

    [Fact]
    public async Task Delete_ReadToken_Returns403MissingWrite()
    {
        var project = await _seed.ProjectAsync();
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));

        var response = await client.DeleteAsync($"/api/v1/projects/{project.Uuid}", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: write");
    }

    [Fact]
    public async Task WriteEndpoints_HostileBodies_NeverAnswer5xx()
    {
        var project = await _seed.ProjectAsync();
        var client = factory.RootClient();

        await HostileInput.AssertNever5xxAsync(client, HttpMethod.Post, "/api/v1/projects", ["name", "description"]);
        await HostileInput.AssertNever5xxAsync(client, HttpMethod.Patch, $"/api/v1/projects/{project.Uuid}", ["name", "description"]);
    }
}
