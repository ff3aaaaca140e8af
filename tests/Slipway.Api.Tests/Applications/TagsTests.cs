using System.Net;
using Slipway.Api.Tests.Fixtures;

namespace Slipway.Api.Tests.Applications;

public sealed class TagsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Seeder _seed = new(factory);

    [Fact]
    public async Task CreateTag_ThenDuplicate_Returns201Then409()
    {
        var first = await factory.RootClient().PostBodyAsync("/api/v1/tags", new { name = "backend" });
        var second = await factory.RootClient().PostBodyAsync("/api/v1/tags", new { name = "backend" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("backend", (await first.NodeAsync())["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("$(id)")]
    public async Task CreateTag_InvalidName_Returns422(string name)
    {
        var response = await factory.RootClient().PostBodyAsync("/api/v1/tags", new { name });

        Assert.Equal(["name"], await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task ApplicationTags_AttachListDetach_AndDeployByTag()
    {
        var app = await _seed.ApplicationAsync(name: "tagged-app");
        var attached = await (await factory.RootClient().PostBodyAsync($"/api/v1/applications/{app.Uuid}/tags", new { tag_names = new[] { "edge", "eu" } })).NodeAsync();
        var edgeUuid = attached.AsArray().Single(t => t!["name"]!.GetValue<string>() == "edge")!["uuid"]!.GetValue<string>();

        var deploy = await (await factory.RootClient().PostAsync("/api/v1/deploy?tag=edge", null, TestContext.Current.CancellationToken)).NodeAsync();
        var detached = await factory.RootClient().DeleteAsync($"/api/v1/applications/{app.Uuid}/tags/{edgeUuid}", TestContext.Current.CancellationToken);
        var remaining = (await factory.RootClient().GetJsonAsync($"/api/v1/applications/{app.Uuid}/tags")).AsArray();

        Assert.Equal("Application tagged-app deployment queued.", deploy["message"]![0]!.GetValue<string>());
        Assert.Equal(app.Uuid, deploy["details"]![0]!["resource_uuid"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, detached.StatusCode);
        Assert.Equal(["eu"], remaining.Select(t => t!["name"]!.GetValue<string>()).ToArray());
    }
}
