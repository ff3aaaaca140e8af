using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// A build that prints more than its server's <c>deployment_log_max_lines</c>, through the real Docker engine: the log
/// stops at the limit with one line saying so, and the deployment goes on to finish and serve.
/// </summary>
public sealed class LogLimitTests(EngineHost host) : IClassFixture<EngineHost>
{
    private const string ChattyDockerfile = """
        FROM slipway-test/busybox:latest
        RUN i=1; while [ $i -le 3000 ]; do echo "chatty build line $i"; i=$((i + 1)); done
        COPY index.html /www/index.html
        CMD ["sh", "-c", "exec httpd -f -p \"$PORT\" -h /www"]
        """;

    [Fact]
    public async Task Build_PrintingPastTheServersLineLimit_StoresTheLimitAndANoticeAndStillFinishes()
    {
        using var origin = await GitRepository.CreateBareAsync();
        using var work = await origin.CloneAsync();
        await work.Write("Dockerfile", ChattyDockerfile).Write("index.html", "<h1>quiet now</h1>").CommitAsync("A chatty build");
        await work.PushAsync("HEAD:refs/heads/main");
        var (_, localhost) = await host.PlacementAsync();
        using (var api = host.Api())
        {
            var patched = await api.PatchAsync($"/api/v1/servers/{localhost}",
                new StringContent("""{"deployment_log_max_lines":1000}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
            Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        // The legacy builder prints every RUN line as its own line; BuildKit batches and clips a step's output, so the
        // count below would measure BuildKit, not the cap. This fixture's server is recorded as probed: legacy builder.
        await using (var db = host.CreateDbContext())
        {
            var server = await db.Servers.SingleAsync(s => s.Uuid == localhost, TestContext.Current.CancellationToken);
            (server.DockerClientPath, server.DockerBuildKit, server.DockerDefaultBridge, server.DockerProbedAt) = ("/usr/bin/docker", false, false, DateTime.UtcNow);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateDockerfileAppAsync(origin, port);

        var deployment = await host.WaitAsync(await host.DeployAsync(app), TimeSpan.FromMinutes(3));

        Assert.True(EngineHost.Status(deployment) == "finished", EngineHost.VisibleLog(deployment));
        var entries = JsonNode.Parse(deployment["logs"]!.GetValue<string>())!.AsArray().Select(e => e!).ToList();
        Assert.Equal(1000, entries.Count(e => e["command"] is not null));
        var notice = Assert.Single(entries, e => e["output"]!.GetValue<string>().StartsWith("Log limit reached after 1000 lines", StringComparison.Ordinal));
        Assert.True(entries.IndexOf(notice) < entries.FindIndex(e => e["output"]!.GetValue<string>() == "-----> Starting new container"), "the notice comes during the build");
        Assert.DoesNotContain(entries, e => e["output"]!.GetValue<string>() == "chatty build line 3000");
        Assert.Equal("Deployment finished.", entries[^1]["output"]!.GetValue<string>());
        Assert.Equal("<h1>quiet now</h1>", await EngineHost.FetchAsync(port));
    }
}
