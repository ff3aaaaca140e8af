using System.Net;
using System.Text.Json;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Teams;

public sealed class TeamEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetTeam_RootToken_ReturnsRootTeamInContractShape()
    {
        var response = await factory.RootClient().GetAsync("/api/v1/team", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var team = await response.JsonAsync();
        Assert.Equal(0, team.GetProperty("id").GetInt64());
        Assert.Equal("Root Team", team.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, team.GetProperty("description").ValueKind);
        Assert.False(team.GetProperty("personal_team").GetBoolean());
        Assert.False(team.GetProperty("show_boarding").GetBoolean());
        Assert.Equal(JsonValueKind.Null, team.GetProperty("custom_server_limit").ValueKind);
        Assert.Equal(0, team.GetProperty("members").GetArrayLength());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", team.GetProperty("created_at").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", team.GetProperty("updated_at").GetString());
    }

    [Fact]
    public async Task GetTeam_OtherTeamsToken_ReturnsThatTeamOnly()
    {
        var teamId = await factory.CreateTeamAsync("team-b");
        var token = await factory.CreateTokenAsync(ApiAbility.Read, teamId);

        var response = await factory.ClientWith(token).GetAsync("/api/v1/team", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var team = await response.JsonAsync();
        Assert.Equal(teamId, team.GetProperty("id").GetInt64());
        Assert.Equal("team-b", team.GetProperty("name").GetString());
    }

    [Fact]
    public async Task GetTeam_NoToken_Returns401()
    {
        var response = await factory.ClientWith(null).GetAsync("/api/v1/team", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Unauthorized, "Unauthenticated.");
    }

    [Fact]
    public async Task GetTeam_WriteOnlyToken_Returns403MissingRead()
    {
        var token = await factory.CreateTokenAsync(ApiAbility.Write);

        var response = await factory.ClientWith(token).GetAsync("/api/v1/team", Ct);

        await ApiAssert.MessageAsync(response, HttpStatusCode.Forbidden, "Missing required permissions: read");
    }

    [Fact]
    public async Task OpenApi_TeamOperation_UsesCoolifysOperationId()
    {
        Assert.Contains("get /team get-token-team", await OpenApiOperations.LoadAsync(factory));
    }
}
