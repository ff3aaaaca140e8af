using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Deployments;

/// <summary>GET /deployments/{uuid} renders the log rows, and a re-read sees every row appended since (rendered logs are cached).</summary>
public sealed class DeploymentLogsReadTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Seeder _seed = new(factory);

    [Fact]
    public async Task Get_SensitiveToken_LogsAreTheRenderedRows_AndFollowAppends()
    {
        var ct = TestContext.Current.CancellationToken;
        var application = await _seed.ApplicationAsync();
        var deployment = await _seed.DeploymentAsync(application, DeploymentStatus.InProgress, logLines: 120);
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read | ApiAbility.ReadSensitive));

        Assert.Equal(await RenderStoredAsync(deployment.Id), await GetLogsAsync(client, deployment.Uuid, ct));
        Assert.Equal(await RenderStoredAsync(deployment.Id), await GetLogsAsync(client, deployment.Uuid, ct));

        await using (var db = factory.CreateDbContext())
        {
            db.DeploymentLogEntries.Add(new DeploymentLogEntry
            {
                DeploymentId = deployment.Id,
                Order = 121,
                Type = LogLine.Stderr,
                Output = "appended after the first read",
                Timestamp = DateTime.UtcNow,
            });
            await db.SaveChangesAsync(ct);
        }

        var after = await GetLogsAsync(client, deployment.Uuid, ct);
        Assert.Equal(await RenderStoredAsync(deployment.Id), after);
        Assert.Contains("appended after the first read", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_SensitiveToken_RowRemoved_IsNotServedFromCache()
    {
        var ct = TestContext.Current.CancellationToken;
        var application = await _seed.ApplicationAsync();
        var deployment = await _seed.DeploymentAsync(application, DeploymentStatus.Finished, logLines: 30);
        var client = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read | ApiAbility.ReadSensitive));
        _ = await GetLogsAsync(client, deployment.Uuid, ct);

        await using (var db = factory.CreateDbContext())
        {
            await db.DeploymentLogEntries.Where(e => e.DeploymentId == deployment.Id && e.Order == 7).ExecuteDeleteAsync(ct);
        }

        Assert.Equal(await RenderStoredAsync(deployment.Id), await GetLogsAsync(client, deployment.Uuid, ct));
    }

    [Fact]
    public async Task Get_EmptyLog_IsAnEmptyArray_ReadToken_HasNoLogs()
    {
        var ct = TestContext.Current.CancellationToken;
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync());
        var sensitive = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read | ApiAbility.ReadSensitive));
        var read = factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read));

        Assert.Equal("[]", await GetLogsAsync(sensitive, deployment.Uuid, ct));
        using var body = JsonDocument.Parse(await read.GetStringAsync($"/api/v1/deployments/{deployment.Uuid}", ct));
        Assert.False(body.RootElement.TryGetProperty("logs", out _));
    }

    private static async Task<string> GetLogsAsync(HttpClient client, string uuid, CancellationToken ct)
    {
        var response = await client.GetAsync($"/api/v1/deployments/{uuid}", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return body.RootElement.GetProperty("logs").GetString()!;
    }

    private async Task<string> RenderStoredAsync(long deploymentId)
    {
        await using var db = factory.CreateDbContext();
        var rows = await db.DeploymentLogEntries.AsNoTracking().Where(e => e.DeploymentId == deploymentId).OrderBy(e => e.Order).ToListAsync();
        return DeploymentLogRenderer.Render(rows);
    }
}
