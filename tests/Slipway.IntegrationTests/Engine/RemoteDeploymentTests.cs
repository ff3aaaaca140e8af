using System.Globalization;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// The same deployments on a server reached over SSH (the test sshd on 127.0.0.1): commands run through SSH.NET,
/// files go over SFTP and health checks through an SSH tunnel. The sshd runs on this machine, so the "remote"
/// Docker is the local daemon and these applications use ports of their own.
/// </summary>
public sealed class RemoteDeploymentTests(EngineHost host) : IClassFixture<EngineHost>
{
    [Fact]
    public async Task Deploy_StaticSiteOverSsh_ServesEachNewCommit()
    {
        var server = await host.CreateSshServerAsync();
        using var repository = await GitRepository.CreateAsync();
        await repository.Write("index.html", "<h1>remote v1</h1>").CommitAsync("First version");
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateStaticSiteAsync(repository, port, serverUuid: server);

        var deployed = await host.WaitAsync(await host.DeployAsync(app));
        Assert.True(EngineHost.Status(deployed) == "finished", EngineHost.VisibleLog(deployed));
        Assert.Equal("<h1>remote v1</h1>", await EngineHost.FetchAsync(port));
        var log = EngineHost.VisibleLog(deployed);
        var ssh = SshTestServer.FromEnvironment();
        Assert.Contains($"{ssh.Port.ToString(CultureInfo.InvariantCulture)}", log, StringComparison.Ordinal);
        Assert.Contains("Healthcheck status: \"healthy\"", log, StringComparison.Ordinal);
        Assert.Contains(".slipway/work/", log, StringComparison.Ordinal);
        // The SSH server's own Docker, probed through the fixed remote PATH: its BuildKit client builds.
        Assert.Contains("Builder: BuildKit (", log, StringComparison.Ordinal);

        var second = await repository.Write("index.html", "<h1>remote v2</h1>").CommitAsync("Second version");
        var redeployed = await host.WaitAsync(await host.DeployAsync(app));
        Assert.Equal(("finished", second), (EngineHost.Status(redeployed), redeployed["commit"]!.GetValue<string>()));
        Assert.Equal("<h1>remote v2</h1>", await EngineHost.FetchAsync(port));
        Assert.Equal("running", Assert.Single(await Docker.ContainersAsync(app)).State);
        Assert.False(Directory.Exists(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".slipway", "work", redeployed["deployment_uuid"]!.GetValue<string>())),
            "The remote work directory was left behind.");
    }

    [Fact]
    public async Task Deploy_DockerfileAppOverSsh_GetsBuildArgsAndRedactsTheSecret()
    {
        var server = await host.CreateSshServerAsync();
        using var repository = await TestApps.DockerfileRepositoryAsync(TestApps.EchoingDockerfile);
        var port = SlipwayBinary.FreeLoopbackPort();
        var secret = "remote-secret-" + Guid.NewGuid().ToString("N");
        var app = await host.CreateDockerfileAppAsync(repository, port, body => body["health_check_path"] = "/greeting.txt", server);
        await host.AddVariableAsync(app, "GREETING", "hello over ssh", buildtime: true, runtime: false);
        await host.AddVariableAsync(app, "SECRET_TOKEN", secret, buildtime: true, runtime: true, shownOnce: true);

        var deployed = await host.WaitAsync(await host.DeployAsync(app));

        Assert.True(EngineHost.Status(deployed) == "finished", EngineHost.VisibleLog(deployed));
        Assert.Equal("hello over ssh\n", await EngineHost.FetchAsync(port, "/greeting.txt"));
        Assert.Equal(secret + "\n", await EngineHost.FetchAsync(port, "/secret.txt"));
        Assert.Equal(port.ToString(CultureInfo.InvariantCulture) + "\n", await EngineHost.FetchAsync(port, "/port.txt"));
        var log = EngineHost.FullLog(deployed);
        Assert.Contains("build secret: <REDACTED>", log, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        var run = Assert.Single(log.Split('\n'), l => l.StartsWith("$ docker run", StringComparison.Ordinal));
        Assert.Contains("--env-file ", run, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET_TOKEN", run, StringComparison.Ordinal);

        var again = await host.WaitAsync(await host.DeployAsync(app));
        Assert.Equal("finished", EngineHost.Status(again));
        Assert.Contains("Build step skipped", EngineHost.FullLog(again), StringComparison.Ordinal);
        Assert.Equal(secret + "\n", await EngineHost.FetchAsync(port, "/secret.txt"));
    }
}
