using System.Globalization;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// Issue 14 item 1 through the real Docker engine: the pre-deployment command runs in the NEW container before it is
/// checked and serves, and a failing one leaves the old container serving; a failing post-deployment command leaves the
/// deployment finished (local); a cancel during the post-deployment command kills it inside the container (over SSH).
/// </summary>
public sealed class ReleaseCommandTests(EngineHost host) : IClassFixture<EngineHost>
{
    [Fact]
    public async Task Deploy_PreAndPostCommands_PreRunsInTheNewContainerAPostFailureStaysFinishedAPreFailureKeepsTheOldServing()
    {
        using var repository = await GitRepository.CreateAsync();
        await repository.Write("index.html", "old").CommitAsync("Old version");
        var port = SlipwayBinary.FreeLoopbackPort();
        // No ports_mappings: the new container starts beside the old one, which serves until the new one is healthy.
        var app = await host.CreateStaticSiteAsync(repository, port, body =>
        {
            body["ports_mappings"] = null;
            // A newline is flattened to a space (as Coolify does); the command is the container's sh -c text.
            body["pre_deployment_command"] = "echo \"pre ran for $SLIPWAY_RELEASE\" &&\n echo migrated > /srv/www/pre-marker";
            body["post_deployment_command"] = "echo post-output; exit 3";
        });

        var first = await host.WaitAsync(await host.DeployAsync(app));

        var log = EngineHost.VisibleLog(first);
        Assert.True(EngineHost.Status(first) == "finished", log);
        var (container, _) = Assert.Single(await Docker.ContainersAsync(app));
        var deployment = first["deployment_uuid"]!.GetValue<string>();
        Assert.Contains($"pre ran for {deployment}-pre", log.Split('\n'));
        Assert.True(log.IndexOf("-----> Running the pre-deployment command", StringComparison.Ordinal) < log.IndexOf("-----> Checking health", StringComparison.Ordinal), log);
        var (_, marker) = await Docker.RunAsync("exec", container, "cat", "/srv/www/pre-marker");
        Assert.Equal("migrated", marker.Trim());
        Assert.Contains("post-output", log.Split('\n'));
        Assert.Contains(
            "Post-deployment command failed (exit code 3); the deployment stays finished, the new container keeps serving.", log, StringComparison.Ordinal);

        await host.PatchApplicationAsync(app, new { pre_deployment_command = "echo migrating; exit 4", post_deployment_command = (string?)null });
        await repository.Write("index.html", "new").CommitAsync("New version");
        var failed = await host.WaitAsync(await host.DeployAsync(app));

        log = EngineHost.VisibleLog(failed);
        Assert.True(EngineHost.Status(failed) == "failed", log);
        Assert.Contains("migrating", log.Split('\n'));
        Assert.Contains("The pre-deployment command failed (exit code 4); the old container keeps serving.", log, StringComparison.Ordinal);
        Assert.DoesNotContain("-----> Checking health", log, StringComparison.Ordinal);
        Assert.Equal(new[] { (container, "running") }, await Docker.ContainersAsync(app));
        Assert.Equal("old", await FetchFromContainerAsync(container, port));
    }

    [Fact]
    public async Task Cancel_DuringThePostDeploymentCommandOverSsh_KillsItInsideTheContainer()
    {
        var server = await host.CreateSshServerAsync();
        using var repository = await GitRepository.CreateAsync();
        await repository.Write("index.html", "served").CommitAsync("Version");
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateStaticSiteAsync(repository, port, body =>
        {
            body["ports_mappings"] = null;
            // Over SSH the command passes through the transport's one quoting function: quotes and $ reach the container's sh intact.
            body["post_deployment_command"] = "echo 'post started' \"$SLIPWAY_RELEASE\" && sleep 613";
        }, server);

        var deployment = await host.DeployAsync(app);
        await host.WaitUntilAsync(deployment, d => EngineHost.VisibleLog(d).Split('\n').Contains($"post started {deployment}-post"), "the post-deployment command's output");
        var (container, _) = Assert.Single(await Docker.ContainersAsync(app));
        Assert.True(await Poll.UntilAsync(async () => (await ProcessesAsync(container)).Contains("sleep 613"), TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        var (status, body) = await host.CancelAsync(deployment);
        Assert.True(status == 200, body.ToJsonString());
        // A cancel turns the status terminal at once; the run's end is current_process_id cleared, with its whole log stored.
        var ended = await host.WaitUntilAsync(deployment, d => EngineHost.Status(d) == "cancelled-by-user" && d["current_process_id"] is null,
            "cancelled-by-user and the run to stop", TimeSpan.FromSeconds(60));

        var log = EngineHost.VisibleLog(ended);
        Assert.True(log.Contains($"Stopped the post-deployment command in {container}.", StringComparison.Ordinal), log);
        Assert.True(log.Contains("Deployment cancelled: the running step was stopped and its work undone.", StringComparison.Ordinal), log);
        Assert.True(await Poll.UntilAsync(async () => !(await ProcessesAsync(container)).Contains("sleep 613"), TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken),
            await ProcessesAsync(container));
        // The old container was already retired: the new one is the application and keeps serving.
        Assert.Equal(new[] { (container, "running") }, await Docker.ContainersAsync(app));
        Assert.Equal("served", await FetchFromContainerAsync(container, port));
    }

    /// <summary>The command lines of the container's processes, one per line.</summary>
    private static async Task<string> ProcessesAsync(string container)
    {
        var (_, output) = await Docker.RunAsync("exec", container, "sh", "-c", "for p in /proc/[0-9]*; do tr '\\000' ' ' 2>/dev/null < $p/cmdline; echo; done");
        return output;
    }

    private static async Task<string> FetchFromContainerAsync(string container, int port)
    {
        var (_, address) = await Docker.RunAsync("inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", container);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync(new Uri($"http://{address.Trim()}:{port.ToString(CultureInfo.InvariantCulture)}/"), TestContext.Current.CancellationToken);
    }
}
