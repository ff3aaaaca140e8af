using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Deployments;

/// <summary>
/// The comma lists of <c>POST /deploy</c> at the size a 1 MB body allows: answered in seconds, not minutes
/// (a query per entry took 14–81 s), and without tripping the database's parameter limit.
/// </summary>
public sealed class DeployListSizeTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static readonly Dictionary<string, Func<string>> Lists = new()
    {
        ["40,000 distinct unknown uuids"] = () => "uuid:" + string.Join(',', Enumerable.Range(0, 40_000).Select(i => $"a{i:D23}")),
        ["40,000 copies of one uuid"] = () => "uuid:" + string.Join(',', Enumerable.Repeat("abcdefghijklmnopqrstuvwx", 40_000)),
        ["90,000 distinct tag names"] = () => "tag:" + string.Join(',', Enumerable.Range(0, 90_000).Select(i => $"t{i}")),
        ["499,000 copies of one tag name"] = () => "tag:" + string.Join(',', Enumerable.Repeat("t", 499_000)),
    };

    [Theory]
    [InlineData("40,000 distinct unknown uuids")]
    [InlineData("40,000 copies of one uuid")]
    [InlineData("90,000 distinct tag names")]
    [InlineData("499,000 copies of one tag name")]
    public async Task Deploy_CommaListFillingTheBody_Returns404WithinSeconds(string label)
    {
        var list = Lists[label]();
        var colon = list.IndexOf(':', StringComparison.Ordinal);
        var field = list[..colon];
        var client = await (await Tenant.CreateAsync(factory)).ClientAsync(ApiAbility.Deploy);
        var body = $$"""{"{{field}}":"{{list[(colon + 1)..]}}"}""";
        Assert.InRange(body.Length, 500_000, 1024 * 1024);

        var stopwatch = Stopwatch.StartNew();
        var response = await client.PostJsonAsync("/api/v1/deploy", body).WaitAsync(Deadline, Ct);

        await MessageAsync(response, HttpStatusCode.NotFound, field == "uuid" ? "No resources found." : "No resources found with this tag.");
        Assert.True(stopwatch.Elapsed < Deadline);
    }

    [Fact]
    public async Task Deploy_KnownUuidAmongFortyThousand_QueuesJustIt()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync("needle");
        var client = await tenant.ClientAsync(ApiAbility.Deploy);
        var uuids = Enumerable.Range(0, 40_000).Select(i => $"a{i:D23}").ToList();
        uuids.Insert(20_000, application.Uuid);

        var body = await JsonElementAsync(
            await client.PostJsonAsync("/api/v1/deploy", $$"""{"uuid":"{{string.Join(',', uuids)}}"}""").WaitAsync(Deadline, Ct), HttpStatusCode.OK);

        var item = Assert.Single(body.GetProperty("deployments").EnumerateArray());
        Assert.Equal(application.Uuid, item.GetProperty("resource_uuid").GetString());
    }

    [Fact]
    public async Task Deploy_SameUuidRepeatedInOneRequest_IsDeployedOnce()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var a = await tenant.ApplicationAsync("a");
        var b = await tenant.ApplicationAsync("b");
        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var body = await JsonElementAsync(
            await client.PostEmptyAsync($"/api/v1/deploy?uuid={a.Uuid},{b.Uuid},{a.Uuid},{a.Uuid}&force=true"), HttpStatusCode.OK);

        Assert.Equal([a.Uuid, b.Uuid], body.GetProperty("deployments").EnumerateArray().Select(i => i.GetProperty("resource_uuid").GetString()));
        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.Deployments.CountAsync(d => d.ApplicationId == a.Id, Ct));
    }

    [Fact]
    public async Task DeployByTag_SameTagRepeatedInOneRequest_IsDeployedOnce()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync("alpha");
        await using (var db = factory.CreateDbContext())
        {
            var now = Timestamps.Truncate(DateTime.UtcNow);
            var tag = new Tag { Uuid = PublicId.New(), TeamId = tenant.TeamId, Name = "prod", CreatedAt = now, UpdatedAt = now };
            db.Tags.Add(tag);
            await db.SaveChangesAsync(Ct);
            db.ApplicationTags.Add(new ApplicationTag { ApplicationId = application.Id, TagId = tag.Id });
            await db.SaveChangesAsync(Ct);
        }

        var client = await tenant.ClientAsync(ApiAbility.Deploy);
        var body = await JsonElementAsync(await client.PostEmptyAsync("/api/v1/deploy?tag=prod,prod,prod&force=1"), HttpStatusCode.OK);

        Assert.Equal(["Application alpha deployment queued."], body.GetProperty("message").EnumerateArray().Select(m => m.GetString()));
        await using var check = factory.CreateDbContext();
        Assert.Equal(1, await check.Deployments.CountAsync(d => d.ApplicationId == application.Id, Ct));
    }
}
