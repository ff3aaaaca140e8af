using System.Net;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Deployments;

/// <summary>The legacy <c>logs</c> string rendered from log rows: complete, in order, exact, and only for sensitive readers.</summary>
public sealed class DeploymentLogsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const int Lines = 5_000;

    [Fact]
    public async Task GetDeployment_FiveThousandLogRows_SensitiveReaderSeesAllInOrder()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync(), DeploymentStatus.Finished, logLines: Lines);
        var client = await tenant.ClientAsync(ApiAbility.Read | ApiAbility.ReadSensitive);

        var d = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/{deployment.Uuid}"), HttpStatusCode.OK);

        var entries = DeploymentWire.AssertLogs(d.GetProperty("logs"));
        Assert.Equal(Enumerable.Range(1, Lines), entries.Select(e => e.GetProperty("order").GetInt32()));
        var timestamp = Timestamps.ToWire(deployment.CreatedAt);
        for (var i = 1; i <= Lines; i++)
        {
            var entry = entries[i - 1];
            Assert.Equal($"Step {i}: building layer {i} of the image", entry.GetProperty("output").GetString());
            Assert.Equal(i % 10 == 0 ? "stderr" : "stdout", entry.GetProperty("type").GetString());
            Assert.Equal(i % 50 == 0, entry.GetProperty("hidden").GetBoolean());
            Assert.Equal(i % 100 == 1 ? "docker build" : null, entry.GetProperty("command").GetString());
            Assert.Equal(1, entry.GetProperty("batch").GetInt32());
            Assert.Equal(timestamp, entry.GetProperty("timestamp").GetString());
        }
    }

    [Fact]
    public async Task GetDeployment_FiveThousandLogRows_ReadOnlyReaderGetsNoLogsKey()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync(), DeploymentStatus.Finished, logLines: Lines);
        var client = await tenant.ClientAsync(ApiAbility.Read);

        var body = await JsonAsync(await client.GetAsync($"/api/v1/deployments/{deployment.Uuid}"), HttpStatusCode.OK);

        Assert.DoesNotContain("\"logs\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("building layer", body, StringComparison.Ordinal);
        Assert.InRange(body.Length, 1, 2_000);
    }

    [Fact]
    public async Task ListByApplication_FiveThousandLogRows_SensitiveReaderSeesAll()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        await tenant.DeploymentAsync(application, DeploymentStatus.Failed, logLines: Lines);
        await tenant.DeploymentAsync(application, DeploymentStatus.Queued, logLines: 1);
        var client = await tenant.ClientAsync(ApiAbility.Root);

        var body = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/applications/{application.Uuid}"), HttpStatusCode.OK);

        Assert.Equal([1, Lines], body.GetProperty("deployments").EnumerateArray().Select(d => DeploymentWire.AssertLogs(d.GetProperty("logs")).Count));
    }

    [Fact]
    public async Task GetDeployment_AwkwardLogText_RoundTripsExactlyInRowOrder()
    {
        string[] outputs =
        [
            "quote \" backslash \\ slash / tab \t newline \n end",
            "ünïcode ✓ 🚀 ｆｕｌｌ",
            "</script><script>alert(1)</script>",
            "line\u2028separator\u2029paragraph",
            "control \u0001\u001f chars",
            "{\"looks\":\"like json\"}",
            "",
        ];
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync(), DeploymentStatus.Finished);
        await using (var db = factory.CreateDbContext())
        {
            // Inserted in reverse: the rendering must follow `order`, not insertion.
            for (var i = outputs.Length; i >= 1; i--)
            {
                db.DeploymentLogEntries.Add(new DeploymentLogEntry
                {
                    DeploymentId = deployment.Id,
                    Order = i,
                    Type = "stdout",
                    Output = outputs[i - 1],
                    Command = i == 1 ? "echo '$(id)' \"x\"" : null,
                    Batch = 7,
                    Timestamp = deployment.CreatedAt,
                });
                await db.SaveChangesAsync(Ct);
            }
        }

        var client = await tenant.ClientAsync(ApiAbility.Read | ApiAbility.ReadSensitive);
        var d = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/{deployment.Uuid}"), HttpStatusCode.OK);

        var entries = DeploymentWire.AssertLogs(d.GetProperty("logs"));
        Assert.Equal(outputs, entries.Select(e => e.GetProperty("output").GetString()));
        Assert.Equal("echo '$(id)' \"x\"", entries[0].GetProperty("command").GetString());
        Assert.All(entries, e => Assert.Equal(7, e.GetProperty("batch").GetInt32()));
    }

    /// <summary>
    /// The log is written into the response in segments, from the rows and then from the cache: text of surrogate
    /// pairs and escapes across many segment boundaries reads back exactly, the second time as the first, and a row
    /// stored in between shows up in the next answer.
    /// </summary>
    [Fact]
    public async Task GetDeployment_LongLogReadTwiceThenGrown_IsExactEachTime()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync(), DeploymentStatus.InProgress);
        var outputs = Enumerable.Range(1, 3_000).Select(i => $"{i} 🚀 \"ü\" \\ {new string('✓', i % 40)}🚀").ToList();
        var driver = new DeploymentDriver(factory);
        await driver.AppendAsync(deployment, [.. outputs]);
        var client = await tenant.ClientAsync(ApiAbility.Read | ApiAbility.ReadSensitive);

        var first = await JsonAsync(await client.GetAsync($"/api/v1/deployments/{deployment.Uuid}"), HttpStatusCode.OK);
        var second = await JsonAsync(await client.GetAsync($"/api/v1/deployments/{deployment.Uuid}"), HttpStatusCode.OK);
        await driver.AppendAsync(deployment, "one more");
        var third = await JsonElementAsync(await client.GetAsync($"/api/v1/deployments/{deployment.Uuid}"), HttpStatusCode.OK);

        Assert.InRange(first.Length, 400_000, 2_000_000);
        Assert.Equal(first, second);
        var read = DeploymentWire.AssertLogs(System.Text.Json.JsonDocument.Parse(first).RootElement.GetProperty("logs"));
        Assert.Equal(outputs, read.Select(e => e.GetProperty("output").GetString()));
        Assert.Equal([.. outputs, "one more"], DeploymentWire.AssertLogs(third.GetProperty("logs")).Select(e => e.GetProperty("output").GetString()));
    }
}
