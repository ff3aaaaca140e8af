using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Deployments;

public sealed class GetDeploymentTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    [Fact]
    public async Task GetDeployment_EveryFieldSet_ReturnsCoolifyValuesAndTypes()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync("shop");
        var seeded = await tenant.DeploymentAsync(application, DeploymentStatus.InProgress);
        await using (var db = factory.CreateDbContext())
        {
            var row = await db.Deployments.SingleAsync(d => d.Id == seeded.Id, Ct);
            row.Commit = Sha;
            row.CommitMessage = "Fix the \"cart\" — ünïcode";
            row.CurrentProcessId = "4242";
            row.GitType = "github";
            row.PullRequestId = 7;
            row.ForceRebuild = true;
            row.IsWebhook = true;
            row.IsApi = false;
            row.RestartOnly = true;
            row.OnlyThisServer = true;
            row.Rollback = true;
            row.CreatedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234560);
            row.UpdatedAt = new DateTime(2026, 1, 2, 3, 4, 6, DateTimeKind.Utc).AddTicks(1000000);
            await db.SaveChangesAsync(Ct);
        }

        var client = await tenant.ClientAsync(ApiAbility.Read);
        var d = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/{seeded.Uuid}"), HttpStatusCode.OK);

        DeploymentWire.AssertShape(d, expectLogs: false);
        Assert.Equal(seeded.Id, d.GetProperty("id").GetInt64());
        Assert.Equal(application.Id.ToString(), d.GetProperty("application_id").GetString());
        Assert.Equal(seeded.Uuid, d.GetProperty("deployment_uuid").GetString());
        Assert.Equal(7, d.GetProperty("pull_request_id").GetInt32());
        Assert.True(d.GetProperty("force_rebuild").GetBoolean());
        Assert.Equal(Sha, d.GetProperty("commit").GetString());
        Assert.Equal("in_progress", d.GetProperty("status").GetString());
        Assert.True(d.GetProperty("is_webhook").GetBoolean());
        Assert.False(d.GetProperty("is_api").GetBoolean());
        Assert.Equal("2026-01-02T03:04:05.123456Z", d.GetProperty("created_at").GetString());
        Assert.Equal("2026-01-02T03:04:06.100000Z", d.GetProperty("updated_at").GetString());
        Assert.Equal("4242", d.GetProperty("current_process_id").GetString());
        Assert.True(d.GetProperty("restart_only").GetBoolean());
        Assert.Equal("github", d.GetProperty("git_type").GetString());
        Assert.Equal(tenant.Server.Id, d.GetProperty("server_id").GetInt64());
        Assert.Equal("shop", d.GetProperty("application_name").GetString());
        Assert.Equal(tenant.Server.Name, d.GetProperty("server_name").GetString());
        Assert.Equal(tenant.Server.Id.ToString(), d.GetProperty("destination_id").GetString());
        Assert.True(d.GetProperty("only_this_server").GetBoolean());
        Assert.True(d.GetProperty("rollback").GetBoolean());
        Assert.Equal("Fix the \"cart\" — ünïcode", d.GetProperty("commit_message").GetString());
    }

    [Fact]
    public async Task GetDeployment_QueuedThroughDeploy_SnapshotsApplicationServerAndUrl()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync("api");
        var client = await tenant.ClientAsync(ApiAbility.Read | ApiAbility.Deploy);
        var queued = await JsonElementAsync(await client.PostEmptyAsync($"/api/v1/deploy?uuid={application.Uuid}"), HttpStatusCode.OK);
        var uuid = queued.GetProperty("deployments")[0].GetProperty("deployment_uuid").GetString()!;

        var d = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/{uuid}"), HttpStatusCode.OK);

        DeploymentWire.AssertShape(d, expectLogs: false);
        await using var db = factory.CreateDbContext();
        var place = await db.Environments.Where(e => e.Id == application.EnvironmentId)
            .Select(e => new { Environment = e.Uuid, Project = e.Project!.Uuid }).SingleAsync(Ct);
        Assert.Equal($"/project/{place.Project}/environment/{place.Environment}/application/{application.Uuid}/deployment/{uuid}",
            d.GetProperty("deployment_url").GetString());
        Assert.Matches(DeploymentWire.DeploymentUrl(), d.GetProperty("deployment_url").GetString()!);
        Assert.Equal("HEAD", d.GetProperty("commit").GetString());
        Assert.Equal("queued", d.GetProperty("status").GetString());
        Assert.Equal(0, d.GetProperty("pull_request_id").GetInt32());
        Assert.True(d.GetProperty("is_api").GetBoolean());
        Assert.False(d.GetProperty("is_webhook").GetBoolean());
        Assert.False(d.GetProperty("force_rebuild").GetBoolean());
        Assert.Equal("api", d.GetProperty("application_name").GetString());
        Assert.Equal(tenant.Server.Name, d.GetProperty("server_name").GetString());
        Assert.Equal(tenant.Server.Id, d.GetProperty("server_id").GetInt64());
        Assert.Equal(tenant.Server.Id.ToString(), d.GetProperty("destination_id").GetString());
        Assert.Equal(JsonValueKind.Null, d.GetProperty("current_process_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, d.GetProperty("git_type").ValueKind);
        Assert.Equal(JsonValueKind.Null, d.GetProperty("commit_message").ValueKind);
    }

    [Theory]
    [InlineData(DeploymentStatus.Queued, "queued")]
    [InlineData(DeploymentStatus.InProgress, "in_progress")]
    [InlineData(DeploymentStatus.Finished, "finished")]
    [InlineData(DeploymentStatus.Failed, "failed")]
    [InlineData(DeploymentStatus.CancelledByUser, "cancelled-by-user")]
    public async Task GetDeployment_EachStatus_ReturnsCoolifyStatusString(DeploymentStatus status, string wire)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync(), status);
        var client = await tenant.ClientAsync(ApiAbility.Read);

        var d = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/{deployment.Uuid}"), HttpStatusCode.OK);

        Assert.Equal(wire, d.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(ApiAbility.Read, false)]
    [InlineData(ApiAbility.Read | ApiAbility.Deploy | ApiAbility.Write, false)]
    [InlineData(ApiAbility.Read | ApiAbility.ReadSensitive, true)]
    [InlineData(ApiAbility.Root, true)]
    public async Task GetDeployment_ByAbility_ShowsLogsOnlyToSensitiveReaders(ApiAbility abilities, bool expectLogs)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync(), logLines: 3);
        var client = await tenant.ClientAsync(abilities);

        var d = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/{deployment.Uuid}"), HttpStatusCode.OK);

        DeploymentWire.AssertShape(d, expectLogs);
        Assert.Equal(expectLogs, d.TryGetProperty("logs", out _));
        if (expectLogs)
        {
            var entries = DeploymentWire.AssertLogs(d.GetProperty("logs"));
            Assert.Equal([1, 2, 3], entries.Select(e => e.GetProperty("order").GetInt32()));
            Assert.Equal("docker build", entries[0].GetProperty("command").GetString());
            Assert.Equal("Step 2: building layer 2 of the image", entries[1].GetProperty("output").GetString());
        }
    }

    [Fact]
    public async Task GetDeployment_NoLogRows_SensitiveReaderGetsEmptyArrayString()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync());
        var client = await tenant.ClientAsync(ApiAbility.Read | ApiAbility.ReadSensitive);

        var d = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/{deployment.Uuid}"), HttpStatusCode.OK);

        Assert.Equal("[]", d.GetProperty("logs").GetString());
    }

    [Fact]
    public async Task GetDeployment_EmptyCommitMessage_ReturnsNull()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync());
        await using (var db = factory.CreateDbContext())
        {
            await db.Deployments.Where(x => x.Id == deployment.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.CommitMessage, ""), Ct);
        }

        var client = await tenant.ClientAsync(ApiAbility.Read);
        var d = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/{deployment.Uuid}"), HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Null, d.GetProperty("commit_message").ValueKind);
    }

    [Theory]
    [InlineData("abcdefghijklmnopqrstuvwx")]
    [InlineData("doogksw")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWX")]
    public async Task GetDeployment_UnknownUuid_Returns404(string uuid)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var client = await tenant.ClientAsync(ApiAbility.Read);

        await MessageAsync(await client.GetAsync($"/api/v1/deployments/{uuid}"), HttpStatusCode.NotFound, "Deployment not found.");
    }

    [Fact]
    public async Task GetDeployment_OtherTeamsDeployment_Returns404LikeUnknown()
    {
        var owner = await Tenant.CreateAsync(factory);
        var deployment = await owner.DeploymentAsync(await owner.ApplicationAsync());
        var intruder = await Tenant.CreateAsync(factory);
        var client = await intruder.ClientAsync(ApiAbility.Read | ApiAbility.ReadSensitive | ApiAbility.Deploy);

        await MessageAsync(await client.GetAsync($"/api/v1/deployments/{deployment.Uuid}"), HttpStatusCode.NotFound, "Deployment not found.");
        var ownerClient = await owner.ClientAsync(ApiAbility.Read);
        await JsonAsync(await ownerClient.GetAsync($"/api/v1/deployments/{deployment.Uuid}"), HttpStatusCode.OK);
    }
}
