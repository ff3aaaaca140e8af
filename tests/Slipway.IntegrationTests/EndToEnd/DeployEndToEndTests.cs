using System.Globalization;
using System.Text.Json.Nodes;
using Slipway.Cli;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.EndToEnd;

/// <summary>
/// The real <c>slipway</c> CLI, as its own process, against the engine host on its loopback port, which really
/// deploys: clones a local git repository, builds an image with Docker, runs it and checks its health.
/// </summary>
public sealed class DeployEndToEndTests(EngineHost host) : IClassFixture<EngineHost>
{
    private const string Page = "<h1>Hello from the Slipway CLI tests</h1>";
    private static readonly TimeSpan DeployTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task DeployWait_HealthyApp_Exits0_PrintsTheStoredLogExactly_AndTheAppServes()
    {
        using var repository = await StaticPageAsync();
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateStaticSiteAsync(repository, port, r => r["health_check_path"] = "/index.html");
        using var cli = new CliSession(host.Url, host.RootToken);

        var result = await RunAsync(cli, "deploy", app, "--wait");

        result.AssertSucceeded();
        var deployment = result.OutputLines[0];
        Assert.Equal(CliSession.Lines([deployment, .. await VisibleOutputsAsync(deployment)]), result.StandardOutput);
        Assert.Contains(result.OutputLines, l => l.StartsWith("-----> ", StringComparison.Ordinal));
        Assert.Contains(Page, await EngineHost.FetchAsync(port), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeployWait_UnhealthyApp_Exits1_PrintsTheStoredLogExactly()
    {
        using var repository = await StaticPageAsync();
        var app = await host.CreateStaticSiteAsync(repository, SlipwayBinary.FreeLoopbackPort(), r =>
        {
            r["health_check_path"] = "/missing.html";
            r["health_check_retries"] = 2;
            r["health_check_interval"] = 1;
            r["health_check_start_period"] = 1;
        });
        using var cli = new CliSession(host.Url, host.RootToken);

        var result = await RunAsync(cli, "deploy", app, "--wait");

        result.AssertError(ExitCodes.Failed, "failed");
        var deployment = result.OutputLines[0];
        Assert.Equal("failed", EngineHost.Status(await host.GetDeploymentAsync(deployment)));
        Assert.Equal(CliSession.Lines([deployment, .. await VisibleOutputsAsync(deployment)]), result.StandardOutput);
    }

    [Fact]
    public async Task DeployWait_CancelledWhileRunning_Exits2_PrintsTheStoredLogExactly()
    {
        using var repository = await StaticPageAsync();
        var app = await host.CreateStaticSiteAsync(repository, SlipwayBinary.FreeLoopbackPort(), SlowToBecomeHealthy);
        using var cli = new CliSession(host.Url, host.RootToken);
        await using var process = cli.Start("deploy", app, "--wait");
        var deployment = (await process.WaitForLinesAsync(1, DeployTimeout))[0];
        await WaitForLineAsync(process, "-----> Checking health");

        (await cli.RunAsync("deployments", "cancel", deployment)).AssertSucceeded();
        var result = await process.WaitForExitAsync(DeployTimeout);

        result.AssertError(ExitCodes.Cancelled, "cancelled");
        Assert.Equal(CliSession.Lines([deployment, .. await VisibleOutputsAsync(deployment)]), result.StandardOutput);
    }

    [Fact]
    public async Task DeployWait_StillRunningAtTheTimeout_Exits3()
    {
        using var repository = await StaticPageAsync();
        var app = await host.CreateStaticSiteAsync(repository, SlipwayBinary.FreeLoopbackPort(), SlowToBecomeHealthy);
        using var cli = new CliSession(host.Url, host.RootToken);

        var result = await RunAsync(cli, "deploy", app, "--wait", "--timeout", "15s");

        result.AssertError(ExitCodes.TimedOut, "Timed out after 15");
        var deployment = result.OutputLines[0];
        Assert.Contains(EngineHost.Status(await host.GetDeploymentAsync(deployment)), new[] { "queued", "in_progress" });
        Assert.Equal(200, (await host.CancelAsync(deployment)).Status);
        Assert.Equal("cancelled-by-user", EngineHost.Status(await host.WaitAsync(deployment, DeployTimeout)));
    }

    [Fact]
    public async Task EventStream_DisconnectedAndResumedMidBuild_ReceivesEveryEntryExactlyOnce()
    {
        using var repository = await StaticPageAsync();
        var app = await host.CreateStaticSiteAsync(repository, SlipwayBinary.FreeLoopbackPort(), r => r["health_check_enabled"] = false);
        var deployment = await host.DeployAsync(app, force: true);
        var url = $"/api/v1/deployments/{deployment}/logs";
        var received = new List<int>();
        using var api = host.Api();

        await using (var first = await SseTestClient.OpenAsync(api, url))
        {
            // Leave during the build, as soon as its header arrives.
            while (await first.NextAsync(DeployTimeout) is { } e)
            {
                if (e.IsEntry)
                {
                    received.Add(e.Order);
                    if (e.Json.GetProperty("output").GetString()!.StartsWith("-----> Building image", StringComparison.Ordinal))
                    {
                        break;
                    }
                }

                Assert.False(e.IsStatus && e.Status is "finished" or "failed" or "cancelled-by-user", $"The deployment ended before its build: {e.Data}");
            }
        }

        var status = EngineHost.Status(await host.WaitAsync(deployment, DeployTimeout));
        await using var resumed = await SseTestClient.OpenAsync(api, url, received[^1].ToString(CultureInfo.InvariantCulture));
        var rest = await resumed.ReadToEndAsync(DeployTimeout);
        received.AddRange(rest.Where(e => e.IsEntry).Select(e => e.Order));

        Assert.Equal("finished", status);
        Assert.Equal(status, rest[^1].Status);
        var stored = (await host.StoredEntriesAsync(deployment)).Select(e => e["order"]!.GetValue<int>()).ToList();
        Assert.True(stored.Count > received.IndexOf(received.First(o => o > 0)) + 5, "The build wrote more lines after the disconnect.");
        Assert.Equal(stored, received);
    }

    /// <summary>A repository holding one static page, <see cref="Page"/>, as <c>index.html</c>.</summary>
    private static async Task<GitRepository> StaticPageAsync()
    {
        var repository = await GitRepository.CreateAsync();
        await repository.Write("index.html", Page + "\n").CommitAsync("A static page");
        return repository;
    }

    /// <summary>A health check that keeps failing for about a minute: the deployment is running for that long.</summary>
    private static void SlowToBecomeHealthy(JsonObject request)
    {
        request["health_check_path"] = "/missing.html";
        request["health_check_retries"] = 60;
        request["health_check_interval"] = 1;
        request["health_check_start_period"] = 1;
    }

    private async Task<List<string>> VisibleOutputsAsync(string deployment) =>
        (await host.StoredEntriesAsync(deployment)).Where(e => !e["hidden"]!.GetValue<bool>()).Select(e => e["output"]!.GetValue<string>()).ToList();

    private static async Task<CliResult> RunAsync(CliSession cli, params string[] arguments)
    {
        await using var process = cli.Start(arguments);
        return await process.WaitForExitAsync(DeployTimeout);
    }

    private static async Task WaitForLineAsync(CliProcess process, string prefix)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!process.OutputLines.Any(l => l.StartsWith(prefix, StringComparison.Ordinal)))
        {
            Assert.True(clock.Elapsed < DeployTimeout, $"No '{prefix}' line within {DeployTimeout}: {string.Join('\n', process.OutputLines)}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
