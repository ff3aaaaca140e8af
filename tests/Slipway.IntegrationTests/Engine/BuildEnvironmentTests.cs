using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Applications;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// Issue 10, items 2 and 8 through the real Docker engine: build-time variables cannot steer the docker client (the
/// attack is real: with <c>PATH</c> and <c>DOCKER_CONFIG</c> in its environment, the legacy builder's client runs a
/// credential helper of the attacker's choosing on the server), and builds use BuildKit where the server's Docker
/// has it, probed once and recorded on the server.
/// </summary>
public sealed class BuildEnvironmentTests(EngineHost host) : IClassFixture<EngineHost>
{
    /// <summary>A Dockerfile only BuildKit builds: the legacy builder refuses <c>RUN --mount</c>.</summary>
    private const string CacheMountDockerfile = """
        FROM slipway-test/busybox:latest
        RUN --mount=type=cache,target=/cache echo "cached at $(date)" >> /cache/runs && mkdir -p /www && cp /cache/runs /www/index.html
        CMD ["sh", "-c", "exec httpd -f -p \"$PORT\" -h /www"]
        """;

    [Fact]
    public async Task BuildVariables_NamedForTheDockerClient_AreRefusedAndTheirProgramNeverRuns()
    {
        var trap = Directory.CreateTempSubdirectory("slipway-credential-trap-").FullName;
        var marker = Path.Combine(trap, "ran");
        try
        {
            // A credential helper the docker client would find on the build's PATH through the build's DOCKER_CONFIG.
            Directory.CreateDirectory(Path.Combine(trap, "bin"));
            Directory.CreateDirectory(Path.Combine(trap, "config"));
            var helper = Path.Combine(trap, "bin", "docker-credential-slipwaytrap");
            await File.WriteAllTextAsync(helper, $"#!/bin/sh\ntouch '{marker}'\necho '{{}}'\n", TestContext.Current.CancellationToken);
            File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await File.WriteAllTextAsync(Path.Combine(trap, "config", "config.json"), """{"credsStore":"slipwaytrap"}""", TestContext.Current.CancellationToken);
            using var repository = await TestApps.DockerfileRepositoryAsync(TestApps.SlowDockerfile(0, "trap"));
            var app = await host.CreateDockerfileAppAsync(repository, SlipwayBinary.FreeLoopbackPort());
            var steering = new Dictionary<string, string> { ["PATH"] = $"{trap}/bin:/usr/local/bin:/usr/bin:/bin", ["DOCKER_CONFIG"] = $"{trap}/config" };

            using var api = host.Api();
            foreach (var (key, value) in steering)
            {
                var response = await api.PostAsync($"/api/v1/applications/{app}/envs",
                    System.Net.Http.Json.JsonContent.Create(new JsonObject { ["key"] = key, ["value"] = value, ["is_buildtime"] = true }), TestContext.Current.CancellationToken);
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
                Assert.True((int)response.StatusCode == 422, body.ToJsonString());
                Assert.StartsWith($"The name {key} cannot be a build-time variable", body["errors"]!["key"]![0]!.GetValue<string>(), StringComparison.Ordinal);
            }

            // Stored anyway (an older version, an import, a hand edit): the settings check refuses to build.
            await StoreBuildVariablesAsync(app, steering);
            var failed = await host.WaitAsync(await host.DeployAsync(app));

            Assert.Equal("failed", EngineHost.Status(failed));
            var log = EngineHost.VisibleLog(failed);
            Assert.Contains("The name PATH cannot be a build-time variable", log, StringComparison.Ordinal);
            Assert.Contains("The name DOCKER_CONFIG cannot be a build-time variable", log, StringComparison.Ordinal);
            Assert.Contains("nothing was run.", log, StringComparison.Ordinal);
            Assert.DoesNotContain(EngineHost.FullLog(failed).Split('\n'), l => l.StartsWith("$ ", StringComparison.Ordinal));
            Assert.False(File.Exists(marker), "The build's PATH and DOCKER_CONFIG ran a program of their choosing on the server.");
        }
        finally
        {
            Directory.Delete(trap, recursive: true);
        }
    }

    [Fact]
    public async Task Deploy_DockerfileWithACacheMount_BuildsWithBuildKitProbedOnceAndRecordedOnTheServer()
    {
        using var repository = await TestApps.DockerfileRepositoryAsync(CacheMountDockerfile);
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateDockerfileAppAsync(repository, port);

        var deployed = await host.WaitAsync(await host.DeployAsync(app));

        Assert.True(EngineHost.Status(deployed) == "finished", EngineHost.VisibleLog(deployed));
        Assert.StartsWith("cached at ", await EngineHost.FetchAsync(port), StringComparison.Ordinal);
        var server = await LocalhostSettingsAsync();
        var client = server["docker_client_path"]!.GetValue<string>();
        Assert.True(server["docker_buildkit"]!.GetValue<bool>(), server.ToJsonString());
        // Debian's engine client builds with BuildKit without buildx; a newer client earlier on PATH without buildx
        // (/usr/local/bin/docker 28.x here) was tried first and passed over.
        Assert.Equal("/usr/bin/docker", client);
        Assert.False(server["docker_default_bridge"]!.GetValue<bool>(), "The test engine runs with --bridge=none.");
        var log = EngineHost.VisibleLog(deployed);
        Assert.Contains($"Builder: BuildKit ({client}). Build network: none (the server does not allow host networking and the engine has no default bridge network).", log, StringComparison.Ordinal);

        // Probed once per server: the next build reads what was recorded.
        using var other = await TestApps.DockerfileRepositoryAsync(TestApps.SlowDockerfile(0, "second"));
        var next = await host.WaitAsync(await host.DeployAsync(await host.CreateDockerfileAppAsync(other, SlipwayBinary.FreeLoopbackPort())));
        Assert.True(EngineHost.Status(next) == "finished", EngineHost.VisibleLog(next));
        Assert.Contains($"Builder: BuildKit ({client}).", EngineHost.VisibleLog(next), StringComparison.Ordinal);
        Assert.DoesNotContain("Probed Docker", EngineHost.VisibleLog(next), StringComparison.Ordinal);
        Assert.Equal(server["docker_probed_at"]!.GetValue<string>(), (await LocalhostSettingsAsync())["docker_probed_at"]!.GetValue<string>());
    }

    private async Task<JsonNode> LocalhostSettingsAsync()
    {
        var (_, localhost) = await host.PlacementAsync();
        return (await host.GetAsync($"/api/v1/servers/{localhost}"))["settings"]!;
    }

    private Task StoreBuildVariablesAsync(string app, Dictionary<string, string> variables) => host.UpdateDatabaseAsync(async db =>
    {
        var application = await db.Applications.SingleAsync(a => a.Uuid == app, TestContext.Current.CancellationToken);
        var protector = host.Services.GetRequiredService<Core.Secrets.ISecretProtector>();
        foreach (var (key, value) in variables)
        {
            db.EnvironmentVariables.Add(new EnvironmentVariable
            {
                Uuid = Core.Common.PublicId.New(),
                ApplicationId = application.Id,
                Key = key,
                ProtectedValue = protector.Protect(value),
                IsBuildtime = true,
                IsRuntime = false,
            });
        }

        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    });
}
