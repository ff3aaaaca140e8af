using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Features.Deployments;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Deployments;

namespace Slipway.Api.Tests.Deployments;

/// <summary>GET /deployments/{uuid} answers repeated reads without the database only while nothing has changed.</summary>
public sealed class DeploymentReadCacheTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Seeder _seed = new(factory);

    [Fact]
    public async Task Get_AfterAChangeByAnotherContext_ShowsTheChange()
    {
        var ct = TestContext.Current.CancellationToken;
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.InProgress);
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));
        Assert.Equal("in_progress", await GetStatusAsync(client, deployment.Uuid, ct));
        Assert.Equal("in_progress", await GetStatusAsync(client, deployment.Uuid, ct));

        await using (var db = factory.CreateDbContext())
        {
            await db.Deployments.Where(d => d.Id == deployment.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeploymentStatus.Finished), ct);
        }

        Assert.Equal("finished", await GetStatusAsync(client, deployment.Uuid, ct));
    }

    [Fact]
    public async Task Get_Repeated_AnswersTheSameBytesAndHeaders_AsTheFirstReadFromTheDatabase()
    {
        var ct = TestContext.Current.CancellationToken;
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.Failed, commit: "abc123");
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));

        var first = await client.GetAsync($"/api/v1/deployments/{deployment.Uuid}", ct);
        var cached = await client.GetAsync($"/api/v1/deployments/{deployment.Uuid}", ct);

        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Equal(first.Content.Headers.ContentType, cached.Content.Headers.ContentType);
        Assert.Equal("application/json; charset=utf-8", cached.Content.Headers.ContentType?.ToString());
        Assert.Equal(await first.Content.ReadAsStringAsync(ct), await cached.Content.ReadAsStringAsync(ct));
        Assert.Contains("\"commit\":\"abc123\"", await cached.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Deleted_IsNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync());
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));
        Assert.Equal("queued", await GetStatusAsync(client, deployment.Uuid, ct));

        await using (var db = factory.CreateDbContext())
        {
            await db.Deployments.Where(d => d.Id == deployment.Id).ExecuteDeleteAsync(ct);
        }

        var response = await client.GetAsync($"/api/v1/deployments/{deployment.Uuid}", ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_OtherTeam_IsNotFound_EvenAfterTheOwnerRead()
    {
        var ct = TestContext.Current.CancellationToken;
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync());
        var owner = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));
        var other = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read, await factory.CreateTeamAsync("other")));
        Assert.Equal("queued", await GetStatusAsync(owner, deployment.Uuid, ct));

        var response = await other.GetAsync($"/api/v1/deployments/{deployment.Uuid}", ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task FindAsync_Repeated_ReturnsEqualCopies()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.Failed, commit: "abc123");
        await using var db = factory.CreateDbContext();
        var rows = factory.Services.GetRequiredService<DeploymentRowCache>();

        var first = await DeploymentReads.FindAsync(db, rows, deployment.Uuid, 0);
        var second = await DeploymentReads.FindAsync(db, rows, deployment.Uuid, 0);
        var stored = await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == deployment.Id, TestContext.Current.CancellationToken);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotSame(first, second);
        foreach (var property in typeof(Deployment).GetProperties())
        {
            Assert.Equal(property.GetValue(stored), property.GetValue(second));
        }

        first.Status = DeploymentStatus.Queued;
        Assert.Equal(DeploymentStatus.Failed, (await DeploymentReads.FindAsync(db, rows, deployment.Uuid, 0))!.Status);
    }

    private static async Task<string> GetStatusAsync(HttpClient client, string uuid, CancellationToken ct)
    {
        var response = await client.GetAsync($"/api/v1/deployments/{uuid}", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return body.RootElement.GetProperty("status").GetString()!;
    }
}
