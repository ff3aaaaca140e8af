using Slipway.Api.Tests.Fixtures;
using Slipway.Cli;
using Slipway.Testing;

namespace Slipway.Api.Tests.Cli;

/// <summary>
/// The CLI against a server without Slipway's additions (a stand-in for Coolify): it notices the 404 on the logs
/// URL, polls the deployment every 2 s and prints only the entries it has not printed yet.
/// </summary>
[Trait(TestDatabase.TraitName, TestDatabase.AnyDatabase)]
public sealed class FallbackTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("finished", ExitCodes.Success)]
    [InlineData("failed", ExitCodes.Failed)]
    [InlineData("cancelled-by-user", ExitCodes.Cancelled)]
    public async Task DeployWait_ServerWithoutAdditions_PollsEveryTwoSecondsAndPrintsEachLineOnce(string outcome, int exitCode)
    {
        (string, bool)[] all =
        [
            ("Starting deployment of web/main to localhost.", false),
            ("Preparing container with helper image: ghcr.io/coollabsio/coolify-helper:1.0.15", false),
            ("docker inspect helper", true),
            ("Importing https://github.com/example/web.git:main", false),
            ("Image not found. Building new image.", false),
            ("#1 [internal] load build definition from Dockerfile", false),
            ("Rolling update started.", false),
            ("Deployment " + outcome + ".", false),
        ];
        await using var coolify = await FakeCoolify.StartAsync("coolifydeployment00000001",
        [
            ("queued", FakeCoolify.Logs()),
            ("in_progress", FakeCoolify.Logs(all[..3])),
            ("in_progress", FakeCoolify.Logs(all[..6])),
            ("in_progress", FakeCoolify.Logs(all[..6])),
            (outcome, FakeCoolify.Logs(all)),
        ]);
        using var cli = new CliSession(coolify.Url, FakeCoolify.Token);

        await using var process = cli.Start("deploy", "coolifyapplication0000001", "--wait");
        var result = await process.WaitForExitAsync(Patience);

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Equal(CliSession.Lines(["coolifydeployment00000001", .. all.Where(l => !l.Item2).Select(l => l.Item1)]), result.StandardOutput);
        var requests = coolify.Requests.ToArray();
        Assert.Single(requests, r => r.Request.StartsWith("GET /api/v1/deployments/coolifydeployment00000001/logs", StringComparison.Ordinal));
        var polls = requests.Where(r => r.Request == "GET /api/v1/deployments/coolifydeployment00000001").Select(r => r.At).ToList();
        Assert.Equal(5, polls.Count);
        Assert.All(polls.Zip(polls.Skip(1)), p => Assert.True(p.Second - p.First >= TimeSpan.FromSeconds(1.9), $"Polled {p.Second - p.First} apart."));
    }

    [Fact]
    public async Task Logs_ServerWithoutAdditions_PrintsTheLogsField()
    {
        await using var coolify = await FakeCoolify.StartAsync("coolifydeployment00000002",
            [("finished", FakeCoolify.Logs(("first / line", false), ("debug", true), ("second \"line\"", false)))]);
        using var cli = new CliSession(coolify.Url, FakeCoolify.Token);

        var text = (await cli.RunAsync("logs", "coolifydeployment00000002")).AssertSucceeded();
        var debug = (await cli.RunAsync("logs", "coolifydeployment00000002", "--debug")).AssertSucceeded();

        Assert.Equal(["first / line", "second \"line\""], text.OutputLines);
        Assert.Equal(["first / line", "debug", "second \"line\""], debug.OutputLines);
    }

    [Fact]
    public async Task DeployWait_ServerWithoutAdditions_UnknownDeployment_ExitsWithUsageError()
    {
        await using var coolify = await FakeCoolify.StartAsync("coolifydeployment00000003", [("queued", null)]);
        using var cli = new CliSession(coolify.Url, FakeCoolify.Token);

        var result = await cli.RunAsync("logs", "somethingelse000000000000", "--follow");

        result.AssertError(ExitCodes.Usage, "not found");
    }
}
