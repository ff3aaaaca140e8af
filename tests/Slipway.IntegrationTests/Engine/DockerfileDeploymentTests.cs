using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// A Dockerfile application from a local repository on this machine: build arguments from build-time variables,
/// runtime variables through the env file, the shown-once value redacted, and the build skipped or forced.
/// </summary>
public sealed class DockerfileDeploymentTests(EngineHost host) : IClassFixture<EngineHost>
{
    [Fact]
    public async Task Deploy_DockerfileWithBuildArgsAndSecret_ServesThemAndNeverStoresTheSecret()
    {
        using var repository = await TestApps.DockerfileRepositoryAsync(TestApps.EchoingDockerfile);
        var port = SlipwayBinary.FreeLoopbackPort();
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        var app = await host.CreateDockerfileAppAsync(repository, port, body => body["health_check_path"] = "/greeting.txt");
        await host.AddVariableAsync(app, "GREETING", "hello-from-build", buildtime: true, runtime: false);
        await host.AddVariableAsync(app, "SECRET_TOKEN", secret, buildtime: true, runtime: true, shownOnce: true);

        var deployed = await host.WaitAsync(await host.DeployAsync(app));

        Assert.True(EngineHost.Status(deployed) == "finished", EngineHost.VisibleLog(deployed));
        Assert.Equal("hello-from-build\n", await EngineHost.FetchAsync(port, "/greeting.txt"));
        Assert.Equal(secret + "\n", await EngineHost.FetchAsync(port, "/secret.txt"));
        Assert.Equal(port.ToString(CultureInfo.InvariantCulture) + "\n", await EngineHost.FetchAsync(port, "/port.txt"));

        var log = EngineHost.FullLog(deployed);
        Assert.Contains("build greeting: hello-from-build", log, StringComparison.Ordinal);
        Assert.Contains("build secret: <REDACTED>", log, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        await using (var db = host.CreateDbContext())
        {
            var leaked = await db.DeploymentLogEntries.CountAsync(e => e.Output.Contains(secret) || (e.Command != null && e.Command.Contains(secret)), TestContext.Current.CancellationToken);
            Assert.Equal(0, leaked);
        }

        // The values travel in the environment (build) and in the 0600 env file (run), never as arguments.
        var build = Assert.Single(log.Split('\n'), IsBuild);
        Assert.Contains("--build-arg GREETING --build-arg SECRET_TOKEN", build, StringComparison.Ordinal);
        Assert.DoesNotContain("<REDACTED>", build, StringComparison.Ordinal);
        Assert.DoesNotContain("hello-from-build", build, StringComparison.Ordinal);
        var run = Assert.Single(log.Split('\n'), l => l.StartsWith("$ docker run", StringComparison.Ordinal));
        Assert.Contains("--env-file ", run, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET_TOKEN", run, StringComparison.Ordinal);
        Assert.DoesNotContain("<REDACTED>", run, StringComparison.Ordinal);
        Assert.DoesNotContain(" -e ", run, StringComparison.Ordinal);
        Assert.DoesNotContain("--env ", run, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_SameCommitAgain_SkipsTheBuildUnlessForced()
    {
        using var repository = await TestApps.DockerfileRepositoryAsync(TestApps.EchoingDockerfile);
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateDockerfileAppAsync(repository, port, body => body["health_check_path"] = "/greeting.txt");
        await host.AddVariableAsync(app, "GREETING", "v1", buildtime: true, runtime: false);

        var first = await host.WaitAsync(await host.DeployAsync(app));
        var second = await host.WaitAsync(await host.DeployAsync(app));
        var forced = await host.WaitAsync(await host.DeployAsync(app, force: true));

        Assert.Equal(["finished", "finished", "finished"], new[] { first, second, forced }.Select(EngineHost.Status));
        Assert.Equal(first["commit"]!.GetValue<string>(), second["commit"]!.GetValue<string>());
        var firstLog = EngineHost.FullLog(first);
        Assert.Contains(firstLog.Split('\n'), IsBuild);
        Assert.DoesNotContain("--no-cache", firstLog, StringComparison.Ordinal);

        var secondLog = EngineHost.FullLog(second);
        Assert.Contains("Build step skipped", secondLog, StringComparison.Ordinal);
        Assert.DoesNotContain(secondLog.Split('\n'), IsBuild);

        var forcedBuild = Assert.Single(EngineHost.FullLog(forced).Split('\n'), IsBuild);
        Assert.Contains("--no-cache", forcedBuild, StringComparison.Ordinal);
        Assert.Equal("v1\n", await EngineHost.FetchAsync(port, "/greeting.txt"));
        Assert.Equal("running", Assert.Single(await Docker.ContainersAsync(app)).State);

        // A changed build argument is a changed build: the same commit is rebuilt without being forced.
        using (var api = host.Api())
        {
            var patched = await api.PatchAsync(
                $"/api/v1/applications/{app}/envs",
                System.Net.Http.Json.JsonContent.Create(new { key = "GREETING", value = "v2", is_buildtime = true, is_runtime = false }),
                TestContext.Current.CancellationToken);
            Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var changed = await host.WaitAsync(await host.DeployAsync(app));
        Assert.Equal("finished", EngineHost.Status(changed));
        Assert.Contains("Build configuration changed", EngineHost.FullLog(changed), StringComparison.Ordinal);
        Assert.Equal("v2\n", await EngineHost.FetchAsync(port, "/greeting.txt"));
    }

    /// <summary>The logged <c>docker build</c> of the image (by the server's probed client), not the probe's own build from standard input.</summary>
    private static bool IsBuild(string line) =>
        line.StartsWith("$ /", StringComparison.Ordinal) && line.Contains("docker build ", StringComparison.Ordinal) && line.Contains(" -t ", StringComparison.Ordinal);
}
