using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Deployments;

/// <summary><c>POST /deploy</c> parameter rules: Coolify's 400 messages in Coolify's order, from query or body.</summary>
public sealed class DeployValidationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    public static TheoryData<string, string, string> RuleCases => new()
    {
        { "uuid=a&tag=b", """{"uuid":"a","tag":"b"}""", "You can only use uuid or tag, not both." },
        { "uuid=a&tag=b&pr=1&docker_tag=v1", """{"uuid":"a","tag":"b","pr":1,"docker_tag":"v1"}""", "You can only use uuid or tag, not both." },
        { "tag=b&pr=1", """{"tag":"b","pr":1}""", "You can only use tag or pr, not both." },
        { "tag=b&pull_request_id=2&docker_tag=v1", """{"tag":"b","pull_request_id":2,"docker_tag":"v1"}""", "You can only use tag or pr, not both." },
        { "uuid=a&docker_tag=v1", """{"uuid":"a","docker_tag":"v1"}""", "docker_tag requires pull_request_id." },
        { "tag=b&docker_tag=v1", """{"tag":"b","docker_tag":"v1"}""", "docker_tag requires pull_request_id." },
        { "docker_tag=v1", """{"docker_tag":"v1"}""", "docker_tag requires pull_request_id." },
        { "", "{}", "You must provide uuid or tag." },
        { "force=true&pr=3", """{"force":true,"pr":3}""", "You must provide uuid or tag." },
        { "uuid=", """{"uuid":""}""", "You must provide uuid or tag." },
        { "uuid=,,", """{"uuid":",,"}""", "No UUIDs provided." },
        { "uuid=%20,%20", """{"uuid":" , "}""", "No UUIDs provided." },
    };

    [Theory]
    [MemberData(nameof(RuleCases))]
    public async Task Deploy_RuleBrokenInQueryString_Returns400WithCoolifyMessage(string query, string json, string message)
    {
        _ = json;
        var client = await (await Tenant.CreateAsync(factory)).ClientAsync(ApiAbility.Deploy);

        await MessageAsync(await client.PostEmptyAsync($"/api/v1/deploy?{query}"), HttpStatusCode.BadRequest, message);
    }

    [Theory]
    [MemberData(nameof(RuleCases))]
    public async Task Deploy_RuleBrokenInJsonBody_Returns400WithCoolifyMessage(string query, string json, string message)
    {
        _ = query;
        var client = await (await Tenant.CreateAsync(factory)).ClientAsync(ApiAbility.Deploy);

        await MessageAsync(await client.PostJsonAsync("/api/v1/deploy", json), HttpStatusCode.BadRequest, message);
    }

    [Fact]
    public async Task Deploy_UuidInQueryTagInBody_Returns400BothGiven()
    {
        var client = await (await Tenant.CreateAsync(factory)).ClientAsync(ApiAbility.Deploy);

        await MessageAsync(await client.PostJsonAsync("/api/v1/deploy?uuid=a", """{"tag":"b"}"""),
            HttpStatusCode.BadRequest, "You can only use uuid or tag, not both.");
    }

    [Fact]
    public async Task Deploy_BodyAndQueryBothGiveUuid_BodyWins()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync("body");
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var body = await JsonElementAsync(
            await client.PostJsonAsync("/api/v1/deploy?uuid=abcdefghijklmnopqrstuvwx", $$"""{"uuid":"{{application.Uuid}}"}"""), HttpStatusCode.OK);

        Assert.Equal(application.Uuid, body.GetProperty("deployments")[0].GetProperty("resource_uuid").GetString());
    }

    [Theory]
    [InlineData("tag=,")]
    [InlineData("tag=nosuchtag&pr=-5")]
    public async Task Deploy_TagMatchingNothing_Returns404(string query)
    {
        var client = await (await Tenant.CreateAsync(factory)).ClientAsync(ApiAbility.Deploy);

        await MessageAsync(await client.PostEmptyAsync($"/api/v1/deploy?{query}"), HttpStatusCode.NotFound, "No resources found with this tag.");
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("on", true)]
    [InlineData("yes", true)]
    [InlineData("TRUE", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("off", false)]
    [InlineData("no", false)]
    public async Task Deploy_ForceAsLaravelBoolean_IsStoredAsForceRebuild(string force, bool expected)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        await JsonAsync(await client.PostEmptyAsync($"/api/v1/deploy?uuid={application.Uuid}&force={force}"), HttpStatusCode.OK);

        await using var db = factory.CreateDbContext();
        var stored = await db.Deployments.AsNoTracking().SingleAsync(d => d.ApplicationId == application.Id, Ct);
        Assert.Equal(expected, stored.ForceRebuild);
    }

    [Theory]
    [InlineData("force=maybe", "force")]
    [InlineData("pr=abc", "pr")]
    [InlineData("pull_request_id=1.5", "pull_request_id")]
    [InlineData("pr=99999999999", "pr")]
    public async Task Deploy_UnparsableValue_Returns422NamingTheField(string query, string field)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var body = await JsonElementAsync(await client.PostEmptyAsync($"/api/v1/deploy?uuid={application.Uuid}&{query}"), (HttpStatusCode)422);

        Assert.Equal("Validation failed.", body.GetProperty("message").GetString());
        Assert.Equal([field], Keys(body.GetProperty("errors")));
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Deployments.AnyAsync(d => d.ApplicationId == application.Id, Ct));
    }

    [Theory]
    [InlineData("/api/v1/deploy")]
    [InlineData("/api/v1/deploy?uuid=abcdefghijklmnopqrstuvwx&force=true")]
    public async Task DeployGet_AnyQuery_Returns405WithAllowPost(string path)
    {
        var client = await (await Tenant.CreateAsync(factory)).ClientAsync(ApiAbility.Deploy);

        var response = await client.GetAsync(path);

        await MessageAsync(response, HttpStatusCode.MethodNotAllowed, "This endpoint has changed to a POST request.");
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }
}
