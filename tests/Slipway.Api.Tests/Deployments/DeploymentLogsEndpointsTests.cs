using System.Net;
using System.Text.Json;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Deployments;

/// <summary><c>GET /deployments/{uuid}/logs</c> as JSON pages.</summary>
public sealed class DeploymentLogsEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly Seeder _seed = new(factory);

    [Fact]
    public async Task GetLogs_AfterAndLimit_ReturnsThatSliceOldestFirstWithStatus()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.InProgress, logLines: 120);

        var response = await factory.RootClient().GetAsync($"/api/v1/deployments/{deployment.Uuid}/logs?after=98&limit=5", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.JsonAsync();
        Assert.Equal(["deployment_uuid", "status", "complete", "has_more", "last_order", "entries"], page.EnumerateObject().Select(p => p.Name));
        Assert.Equal(deployment.Uuid, page.GetProperty("deployment_uuid").GetString());
        Assert.Equal("in_progress", page.GetProperty("status").GetString());
        Assert.False(page.GetProperty("complete").GetBoolean());
        Assert.True(page.GetProperty("has_more").GetBoolean());
        Assert.Equal(103, page.GetProperty("last_order").GetInt32());
        var entries = page.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal([99, 100, 101, 102, 103], entries.Select(e => e.GetProperty("order").GetInt32()));
        Assert.Equal(["command", "output", "type", "timestamp", "hidden", "batch", "order"], entries[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("Step 100: building layer 100 of the image", entries[1].GetProperty("output").GetString());
        Assert.Equal("stderr", entries[1].GetProperty("type").GetString());
        Assert.True(entries[1].GetProperty("hidden").GetBoolean());
        Assert.Equal("docker build", entries[2].GetProperty("command").GetString());
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("command").ValueKind);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", entries[0].GetProperty("timestamp").GetString());
    }

    /// <summary>A page is streamed from its rows a query of 2,048 at a time: one across several of those is still exact.</summary>
    [Fact]
    public async Task GetLogs_MaximumPageAcrossManyQueries_IsExactAndEndsAtItsLastOrder()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.Finished, logLines: 12_000);
        var client = factory.RootClient();

        var first = await client.GetJsonAsync($"/api/v1/deployments/{deployment.Uuid}/logs?after=7&limit=10000");
        var second = await client.GetJsonAsync($"/api/v1/deployments/{deployment.Uuid}/logs?after={first["last_order"]}&limit=10000");

        Assert.Equal(Enumerable.Range(8, 10_000), first["entries"]!.AsArray().Select(e => e!["order"]!.GetValue<int>()));
        Assert.Equal((10_007, true, false), (first["last_order"]!.GetValue<int>(), first["has_more"]!.GetValue<bool>(), first["complete"]!.GetValue<bool>()));
        Assert.Equal(Enumerable.Range(10_008, 1_993), second["entries"]!.AsArray().Select(e => e!["order"]!.GetValue<int>()));
        Assert.Equal((12_000, false, true), (second["last_order"]!.GetValue<int>(), second["has_more"]!.GetValue<bool>(), second["complete"]!.GetValue<bool>()));
        Assert.Equal("Step 2049: building layer 2049 of the image", first["entries"]![2_041]!["output"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetLogs_NoLimit_ReturnsAThousandThenTheRest()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.Finished, logLines: 1_200);
        var client = factory.RootClient();

        var first = await client.GetJsonAsync($"/api/v1/deployments/{deployment.Uuid}/logs");
        var second = await client.GetJsonAsync($"/api/v1/deployments/{deployment.Uuid}/logs?after={first["last_order"]}");

        Assert.Equal(1_000, first["entries"]!.AsArray().Count);
        Assert.True(first["has_more"]!.GetValue<bool>());
        Assert.False(first["complete"]!.GetValue<bool>());
        Assert.Equal(Enumerable.Range(1_001, 200), second["entries"]!.AsArray().Select(e => e!["order"]!.GetValue<int>()));
        Assert.False(second["has_more"]!.GetValue<bool>());
        Assert.True(second["complete"]!.GetValue<bool>());
        Assert.Equal("finished", second["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetLogs_AfterTheLastEntry_ReturnsNoEntriesAndKeepsTheOrder()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.Queued, logLines: 3);

        var page = await factory.RootClient().GetJsonAsync($"/api/v1/deployments/{deployment.Uuid}/logs?after=3");

        Assert.Empty(page["entries"]!.AsArray());
        Assert.Equal(3, page["last_order"]!.GetValue<int>());
        Assert.Equal("queued", page["status"]!.GetValue<string>());
        Assert.False(page["complete"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(ApiAbility.Read | ApiAbility.Deploy, HttpStatusCode.Forbidden)]
    [InlineData(ApiAbility.Write, HttpStatusCode.Forbidden)]
    [InlineData(ApiAbility.Read | ApiAbility.ReadSensitive, HttpStatusCode.OK)]
    [InlineData(ApiAbility.ReadSensitive, HttpStatusCode.OK)]
    [InlineData(ApiAbility.Root, HttpStatusCode.OK)]
    public async Task GetLogs_ByAbility_NeedsReadSensitiveOrRoot(ApiAbility abilities, HttpStatusCode expected)
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.Finished, logLines: 2);
        var client = factory.ClientWith(await factory.CreateTokenAsync(abilities));

        var response = await client.GetAsync($"/api/v1/deployments/{deployment.Uuid}/logs", Ct);

        if (expected == HttpStatusCode.OK)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            await ApiAssert.MessageAsync(response, expected, "Missing required permissions: read:sensitive");
        }
    }

    [Theory]
    [InlineData("after=-1", "after")]
    [InlineData("after=abc", "after")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=10001", "limit")]
    [InlineData("limit=1.5", "limit")]
    public async Task GetLogs_InvalidAfterOrLimit_Returns422(string query, string field)
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync());

        var response = await factory.RootClient().GetAsync($"/api/v1/deployments/{deployment.Uuid}/logs?{query}", Ct);

        Assert.Single(await Fixtures.ApiAssert.ValidationAsync(response, field));
    }

    [Fact]
    public async Task GetLogs_MaxLimit_IsAccepted()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), logLines: 3);

        var page = await factory.RootClient().GetJsonAsync($"/api/v1/deployments/{deployment.Uuid}/logs?limit=10000");

        Assert.Equal(3, page["entries"]!.AsArray().Count);
    }

    [Fact]
    public async Task GetLogs_UnknownOrOtherTeamsDeployment_Returns404()
    {
        var otherTeam = await factory.CreateTeamAsync("logs-other");
        var theirs = await _seed.DeploymentAsync(await _seed.ApplicationAsync(otherTeam), logLines: 2);
        var client = factory.RootClient();

        await ApiAssert.MessageAsync(await client.GetAsync($"/api/v1/deployments/{theirs.Uuid}/logs", Ct), HttpStatusCode.NotFound, "Deployment not found.");
        await ApiAssert.MessageAsync(await client.GetAsync("/api/v1/deployments/nosuchdeployment000000/logs", Ct), HttpStatusCode.NotFound, "Deployment not found.");
    }
}
