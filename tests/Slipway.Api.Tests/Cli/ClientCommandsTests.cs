using System.Text.Json;
using Slipway.Api.Tests.Fixtures;
using Slipway.Cli;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using Slipway.Testing;

namespace Slipway.Api.Tests.Cli;

/// <summary>The client commands of the real <c>slipway</c> binary (contexts, reads, logs) against a running API host.</summary>
public sealed class ClientCommandsTests(KestrelApiFactory factory) : IClassFixture<KestrelApiFactory>
{
    private readonly Seeder _seed = new(factory);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ContextAdd_ThenUseAndList_StoresTokensInAnOwnerOnlyFileAndNeverPrintsThem()
    {
        using var cli = new CliSession(url: null, token: null);

        var added = (await cli.RunAsync("context", "add", "local", "--url", factory.Url, "--token", factory.RootToken)).AssertSucceeded();
        (await cli.RunAsync("context", "add", "elsewhere", "--url", "http://127.0.0.1:9/", "--token", "5|other")).AssertSucceeded();
        var apps = (await cli.RunAsync("apps", "list")).AssertSucceeded();
        var used = (await cli.RunAsync("context", "use", "elsewhere")).AssertSucceeded();
        var listed = (await cli.RunAsync("context", "list")).AssertSucceeded();
        var json = (await cli.RunAsync("context", "list", "--output", "json")).AssertSucceeded();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.ConfigFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(cli.ConfigFile)!));
        Assert.Contains("current context", added.StandardOutput, StringComparison.Ordinal);
        Assert.StartsWith("UUID", apps.OutputLines[0], StringComparison.Ordinal);
        Assert.Contains("elsewhere", used.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["CURRENT  NAME       URL", "*        elsewhere  http://127.0.0.1:9", "         local      " + factory.Url], listed.OutputLines);
        using var document = JsonDocument.Parse(json.StandardOutput);
        Assert.Equal(
            [("elsewhere", true), ("local", false)],
            document.RootElement.EnumerateArray().Select(c => (c.GetProperty("name").GetString(), c.GetProperty("current").GetBoolean())));
        foreach (var result in new[] { added, apps, used, listed, json })
        {
            Assert.DoesNotContain(factory.RootToken[(factory.RootToken.IndexOf('|', StringComparison.Ordinal) + 1)..], result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ContextUse_Unknown_ExitsWithUsageError()
    {
        using var cli = new CliSession(url: null, token: null);

        var result = await cli.RunAsync("context", "use", "nowhere");

        result.AssertError(ExitCodes.Usage, "nowhere");
    }

    [Fact]
    public async Task ClientCommand_NoServerConfigured_ExitsWithUsageErrorAndHint()
    {
        using var cli = new CliSession(url: null, token: null);

        var result = await cli.RunAsync("deployments", "list");

        result.AssertError(ExitCodes.Usage, "slipway context add");
    }

    [Fact]
    public async Task ClientCommand_EnvironmentVariables_OverrideTheCurrentContext()
    {
        using var cli = new CliSession(url: null, token: null);
        (await cli.RunAsync("context", "add", "dead", "--url", "http://127.0.0.1:9", "--token", "1|wrong")).AssertSucceeded();
        cli.Url = factory.Url;
        cli.Token = factory.RootToken;

        var result = await cli.RunAsync("apps", "list", "--output", "json");

        result.AssertSucceeded();
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(result.StandardOutput).RootElement.ValueKind);
    }

    [Fact]
    public async Task ClientCommand_ServerUnreachable_ExitsWithConnectionError()
    {
        using var cli = new CliSession($"http://127.0.0.1:{SlipwayBinary.FreeLoopbackPort()}", "1|secret");

        var result = await cli.RunAsync("deployments", "get", "abc");

        result.AssertError(ExitCodes.Usage, "Cannot reach");
    }

    [Fact]
    public async Task ClientCommand_WrongToken_ExitsWithUsageErrorNaming401()
    {
        using var cli = new CliSession(factory.Url, "1|wrongwrongwrong");

        var result = await cli.RunAsync("apps", "list");

        result.AssertError(ExitCodes.Usage, "401");
    }

    [Fact]
    public async Task AppsAndDeployments_JsonOutput_IsTheApiAnswerAndTextShowsTheFields()
    {
        var app = await _seed.ApplicationAsync(name: "cli-app");
        var deployment = await _seed.DeploymentAsync(app, DeploymentStatus.InProgress, logLines: 3);
        using var cli = new CliSession(factory.Url, factory.RootToken);
        var api = factory.RootClient();

        var appsJson = (await cli.RunAsync("apps", "list", "-o", "json")).AssertSucceeded();
        var appText = (await cli.RunAsync("apps", "get", app.Uuid)).AssertSucceeded();
        var listJson = (await cli.RunAsync("deployments", "list", "-o", "json")).AssertSucceeded();
        var byApp = (await cli.RunAsync("deployments", "list", "--app", app.Uuid)).AssertSucceeded();
        var getJson = (await cli.RunAsync("deployments", "get", deployment.Uuid, "--output", "json")).AssertSucceeded();
        var getText = (await cli.RunAsync("deployments", "get", deployment.Uuid)).AssertSucceeded();

        Assert.Equal(await TextAsync(api, "/api/v1/applications"), appsJson.StandardOutput.TrimEnd('\n'));
        Assert.Equal(await TextAsync(api, "/api/v1/deployments"), listJson.StandardOutput.TrimEnd('\n'));
        Assert.Equal(await TextAsync(api, $"/api/v1/deployments/{deployment.Uuid}"), getJson.StandardOutput.TrimEnd('\n'));
        Assert.Contains(appText.OutputLines, l => l.StartsWith("name:", StringComparison.Ordinal) && l.EndsWith("cli-app", StringComparison.Ordinal));
        Assert.Equal(["DEPLOYMENT", "APPLICATION", "STATUS", "COMMIT", "CREATED"], byApp.OutputLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal([deployment.Uuid, "cli-app", "in_progress", "HEAD"], byApp.OutputLines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..4]);
        Assert.Contains(getText.OutputLines, l => l.StartsWith("status:", StringComparison.Ordinal) && l.EndsWith("in_progress", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_StoredLog_PrintsEveryVisibleOutputExactly_DebugAddsHidden_JsonGivesEveryEntry()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.Finished, logLines: 12_345);
        using var cli = new CliSession(factory.Url, factory.RootToken);

        var text = (await cli.RunAsync("logs", deployment.Uuid)).AssertSucceeded();
        var debug = (await cli.RunAsync("logs", deployment.Uuid, "--debug")).AssertSucceeded();
        var json = (await cli.RunAsync("logs", deployment.Uuid, "-o", "json")).AssertSucceeded();

        Assert.Equal(CliSession.Lines(await CliSession.StoredOutputsAsync(factory, deployment.Uuid)), text.StandardOutput);
        Assert.Equal(CliSession.Lines(await CliSession.StoredOutputsAsync(factory, deployment.Uuid, includeHidden: true)), debug.StandardOutput);
        var entries = JsonDocument.Parse(json.StandardOutput).RootElement.EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 12_345), entries.Select(e => e.GetProperty("order").GetInt32()));
        Assert.Equal(["command", "output", "type", "timestamp", "hidden", "batch", "order"], entries[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Logs_TokenWithoutSensitiveRead_ExitsWithUsageErrorNamingTheAbility()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.Finished, logLines: 2);
        using var cli = new CliSession(factory.Url, await factory.CreateTokenAsync(ApiAbility.Read));

        var result = await cli.RunAsync("logs", deployment.Uuid);

        result.AssertError(ExitCodes.Usage, "read:sensitive");
    }

    [Fact]
    public async Task UnknownOption_ExitsWithUsageErrorLine()
    {
        using var cli = new CliSession(factory.Url, factory.RootToken);

        var result = await cli.RunAsync("deploy", "abc", "--timeout", "soon");

        result.AssertError(ExitCodes.Usage, "soon");
    }

    private static async Task<string> TextAsync(HttpClient client, string url) =>
        await (await client.GetAsync(url, TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
}
