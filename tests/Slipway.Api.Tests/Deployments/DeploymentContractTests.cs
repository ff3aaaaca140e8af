using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Contract;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Deployments;

/// <summary>
/// The three deployment reads against Coolify's <c>components.schemas.ApplicationDeploymentQueue</c>, read from
/// the facts of Coolify's OpenAPI document kept in the repository (<see cref="CoolifyFacts"/>): documented
/// properties with documented JSON types, null only for Coolify's nullable columns, plus Slipway's field set,
/// key order and formats.
/// </summary>
public sealed class DeploymentContractTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    /// <summary>Documented, but never served by Slipway: the snapshot/diff are never exposed (Coolify hides them too), the rest are unused.</summary>
    private static readonly string[] NotServed = ["docker_registry_image_tag", "configuration_hash", "configuration_snapshot", "configuration_diff"];

    private static JsonElement Schema => CoolifyFacts.Schema("ApplicationDeploymentQueue");

    [Fact]
    public void Schema_DocumentedPropertiesMinusUnserved_AreExactlySlipwaysFields()
    {
        var documented = Schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();

        Assert.All(NotServed, name => Assert.Contains(name, documented));
        Assert.Equal(DeploymentWire.Fields.Order(StringComparer.Ordinal), documented.Except(NotServed).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(ApiAbility.Read, false)]
    [InlineData(ApiAbility.Read | ApiAbility.ReadSensitive, true)]
    public async Task DeploymentReads_RealResponses_ConformToCoolifySchema(ApiAbility abilities, bool expectLogs)
    {
        var (tenant, applicationUuid, uuids) = await ArrangeAsync();
        var client = await tenant.ClientAsync(abilities);

        var list = await JsonElementAsync(await client.GetAsync("/api/v1/deployments"), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Array, list.ValueKind);
        Assert.Equal(2, list.GetArrayLength());
        var byApplication = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/applications/{applicationUuid}"), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Number, byApplication.GetProperty("count").ValueKind);
        Assert.Equal(3, byApplication.GetProperty("deployments").GetArrayLength());
        var single = new List<JsonElement>();
        foreach (var uuid in uuids)
        {
            single.Add(await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/{uuid}"), HttpStatusCode.OK));
        }

        var all = list.EnumerateArray().Concat(byApplication.GetProperty("deployments").EnumerateArray()).Concat(single).ToList();
        Assert.Equal(8, all.Count);
        foreach (var deployment in all)
        {
            var problems = SchemaChecker.Check(deployment, Schema, DeploymentWire.Nullable, DeploymentWire.AlwaysPresent);
            Assert.True(problems.Count == 0, string.Join("; ", problems));
            DeploymentWire.AssertShape(deployment, expectLogs);
            var url = deployment.GetProperty("deployment_url").GetString()!;
            Assert.Matches(DeploymentWire.DeploymentUrl(), url);
            Assert.EndsWith("/deployment/" + deployment.GetProperty("deployment_uuid").GetString(), url, StringComparison.Ordinal);
        }

        // Both null and non-null values of the nullable columns went through the checker.
        Assert.Contains(all, d => d.GetProperty("git_type").ValueKind == JsonValueKind.Null);
        Assert.Contains(all, d => d.GetProperty("git_type").ValueKind == JsonValueKind.String);
    }

    [Fact]
    public void SchemaChecker_NonConformingDeployment_ReportsEveryProblem()
    {
        using var document = JsonDocument.Parse("""
            {"id":"1","application_id":12,"status":null,"git_type":null,"force_rebuild":"true","pull_request_id":1.5,"logs":[],"surprise":1}
            """);

        var problems = SchemaChecker.Check(document.RootElement, Schema, DeploymentWire.Nullable, ["id", "commit"]);

        Assert.Contains("id: expected integer, got String (\"1\")", problems);
        Assert.Contains("application_id: expected string, got Number (12)", problems);
        Assert.Contains("status: null is not allowed", problems);
        Assert.Contains("force_rebuild: expected boolean, got String (\"true\")", problems);
        Assert.Contains("pull_request_id: expected integer, got Number (1.5)", problems);
        Assert.Contains("logs: expected string, got Array ([])", problems);
        Assert.Contains("surprise: not in the schema", problems);
        Assert.Contains("commit: missing", problems);
        Assert.DoesNotContain(problems, p => p.StartsWith("git_type", StringComparison.Ordinal));
        Assert.Equal(8, problems.Count);
    }

    [Fact]
    public void CoolifyFacts_File_IsInTheTestOutputAndHoldsNoProse()
    {
        Assert.True(File.Exists(CoolifyFacts.Path), CoolifyFacts.Path);
        var prose = new List<string>();
        FindProse(CoolifyFacts.Root, "$", prose);

        Assert.Empty(prose);
        Assert.Equal("get-deployment-by-uuid", CoolifyFacts.Operation("GET /deployments/{uuid}").GetProperty("operationId").GetString());
        Assert.True(CoolifyFacts.Operations().Count() > 200, "the facts cover every Coolify operation, not only Slipway's");
    }

    /// <summary>Prose keys anywhere except as field names inside <c>properties</c> (where <c>description</c> is a field).</summary>
    private static void FindProse(JsonElement element, string path, List<string> found)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                FindProse(item, path + "[]", found);
            }
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var isFieldMap = path.EndsWith(".properties", StringComparison.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!isFieldMap && property.Name is "description" or "summary" or "example" or "examples" or "title" or "tags")
            {
                found.Add($"{path}.{property.Name}");
            }

            FindProse(property.Value, $"{path}.{property.Name}", found);
        }
    }

    /// <summary>Three deployments queued through the API: one left queued, one running with every nullable column set and two log rows, one finished.</summary>
    private async Task<(Tenant Tenant, string ApplicationUuid, List<string> Uuids)> ArrangeAsync()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync("contract");
        var client = await tenant.ClientAsync(ApiAbility.Deploy);
        var uuids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var body = await JsonElementAsync(await client.PostEmptyAsync($"/api/v1/deploy?uuid={application.Uuid}&force=true"), HttpStatusCode.OK);
            uuids.Add(body.GetProperty("deployments")[0].GetProperty("deployment_uuid").GetString()!);
        }

        await using var db = factory.CreateDbContext();
        await db.Deployments.Where(d => d.Uuid == uuids[1]).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DeploymentStatus.InProgress)
            .SetProperty(d => d.GitType, "gitlab")
            .SetProperty(d => d.CurrentProcessId, "31337")
            .SetProperty(d => d.CommitMessage, "Initial commit")
            .SetProperty(d => d.PullRequestId, 4), Ct);
        await db.Deployments.Where(d => d.Uuid == uuids[2]).ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeploymentStatus.Finished), Ct);
        var running = await db.Deployments.AsNoTracking().SingleAsync(d => d.Uuid == uuids[1], Ct);
        db.DeploymentLogEntries.AddRange(
            new DeploymentLogEntry { DeploymentId = running.Id, Order = 1, Type = "stdout", Output = "Cloning", Command = "git clone", Timestamp = running.CreatedAt },
            new DeploymentLogEntry { DeploymentId = running.Id, Order = 2, Type = "stderr", Output = "warning", Hidden = true, Timestamp = running.CreatedAt });
        await db.SaveChangesAsync(Ct);
        return (tenant, application.Uuid, uuids);
    }
}
