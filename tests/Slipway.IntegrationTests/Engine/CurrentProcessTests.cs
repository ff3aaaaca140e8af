using System.Globalization;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// <c>current_process_id</c> while a deployment runs on the local server: the PID of the live process of the
/// running command (the <c>docker build</c> client during the build), cleared when the deployment ends.
/// </summary>
public sealed class CurrentProcessTests(EngineHost host) : IClassFixture<EngineHost>
{
    [Fact]
    public async Task Deploy_WhileBuilding_CurrentProcessIdIsTheLiveBuildAndIsClearedAtTheEnd()
    {
        var marker = "pid-" + Guid.NewGuid().ToString("N");
        using var repository = await TestApps.DockerfileRepositoryAsync(TestApps.SlowDockerfile(4, marker));
        var commit = (await repository.GitAsync("rev-parse", "HEAD")).Trim();
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateDockerfileAppAsync(repository, port);

        var deployment = await host.DeployAsync(app);
        var building = await host.WaitForLogLineAsync(deployment, $"{marker}: build started");

        var pid = building["current_process_id"]?.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(pid), "current_process_id is empty while the build runs.");
        var id = int.Parse(pid!, CultureInfo.InvariantCulture);
        Assert.False(LocalProcesses.IsGone(id), $"current_process_id {pid} is not a live process.");
        var commandLine = File.ReadAllText($"/proc/{id}/cmdline").Split('\0');
        // The server's probed docker client, by its absolute path.
        Assert.Equal(("docker", "build"), (Path.GetFileName(commandLine[0]), commandLine[1]));
        Assert.Contains($"{app}:{commit}", commandLine);

        var done = await host.WaitAsync(deployment);
        Assert.True(EngineHost.Status(done) == "finished", EngineHost.VisibleLog(done));
        Assert.Null(done["current_process_id"]);
        Assert.True(LocalProcesses.IsGone(id), $"The build process {pid} still runs after the deployment ended.");
        Assert.Equal(marker + "\n", await EngineHost.FetchAsync(port));
    }
}
