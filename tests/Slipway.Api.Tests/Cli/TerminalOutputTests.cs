using Slipway.Api.Tests.Deployments;
using Slipway.Api.Tests.Fixtures;
using Slipway.Cli.Output;
using Slipway.Core.Deployments;
using Slipway.Core.Execution;
using Slipway.Core.Tokens;
using Slipway.Testing;

namespace Slipway.Api.Tests.Cli;

/// <summary>
/// Build output printed by the CLI cannot drive the user's terminal: on a terminal (a real pseudo-terminal from
/// <c>script</c>) escape sequences and control characters are stripped, <c>--raw</c> keeps them, and into a pipe the
/// lines are byte for byte what was stored.
/// </summary>
public sealed class TerminalOutputTests(KestrelApiFactory factory) : IClassFixture<KestrelApiFactory>
{
    /// <summary>What a hostile build prints: clear the screen, retitle the window, write the clipboard, hide a line.</summary>
    private static readonly string[] Hostile =
    [
        "\u001b[2J\u001b[Hstep one",
        "\u001b]0;pwned title\u0007step two",
        "\u001b]52;c;cm0gLXJmIH4K\u0007step three",
        "rm -rf ~\r# step four",
        "\u001b[31mstep five\u001b[0m",
        "\u009b2Jstep six",
        "\u001bP1;2|payload\u001b\\step seven",
    ];

    private static readonly string[] Shown = ["step one", "step two", "step three", "rm -rf ~# step four", "step five", "step six", "step seven"];

    [Theory]
    [InlineData("\u001b[2J\u001b[Hcleared", "cleared")]
    [InlineData("\u001b]0;title\u0007text", "text")]
    [InlineData("\u001b]8;;https://evil.example/\u001b\\link\u001b]8;;\u001b\\", "link")]
    [InlineData("\u001b]0;never terminated", "")]
    [InlineData("\u001b[38;5;196mred\u001b[0m", "red")]
    [InlineData("\u009b31mc1\u009d0;title\u009cok", "c1ok")]
    [InlineData("\u001b_apc\u001b\\\u001b^pm\u001b\\\u001bXsos\u001b\\after", "after")]
    [InlineData("bell\u0007 backspace\u0008 del\u007f nul\u0000 cr\r end", "bell backspace del nul cr end")]
    [InlineData("lone escape \u001b", "lone escape ")]
    [InlineData("tab\tkept, ünïcode ✓ 🚀 kept", "tab\tkept, ünïcode ✓ 🚀 kept")]
    public void Strip_EscapesAndControls_LeavesOnlyText(string text, string expected) => Assert.Equal(expected, TerminalText.Strip(text));

    [Fact]
    public async Task Logs_OnATerminal_StripsEscapes_RawKeepsThem_PipeIsByteExact()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var deployment = await tenant.DeploymentAsync(await tenant.ApplicationAsync(), DeploymentStatus.InProgress);
        var driver = new DeploymentDriver(factory);
        await driver.AppendAsync(deployment, Hostile);
        await driver.FinishAsync(deployment, DeploymentStatus.Finished, "done");
        using var cli = new CliSession(factory.Url, await tenant.TokenAsync(ApiAbility.Read | ApiAbility.ReadSensitive));

        var terminal = await RunInTerminalAsync(cli, "logs", deployment.Uuid);
        var raw = await RunInTerminalAsync(cli, "logs", deployment.Uuid, "--raw");
        var piped = (await cli.RunAsync("logs", deployment.Uuid)).AssertSucceeded();

        Assert.All(Shown, line => Assert.Contains(line, terminal, StringComparison.Ordinal));
        foreach (var sequence in new[] { "\u001b[2J", "\u001b]0;", "\u001b]52;", "\r# step four", "\u009b", "\u001bP" })
        {
            Assert.DoesNotContain(sequence, terminal, StringComparison.Ordinal);
        }

        Assert.All(Hostile.Where(h => !h.Contains('\r', StringComparison.Ordinal)), line => Assert.Contains(line, raw, StringComparison.Ordinal));
        Assert.Equal(CliSession.Lines([.. Hostile, "done"]), piped.StandardOutput);
    }

    /// <summary>Runs a client command with a pseudo-terminal as its output (util-linux <c>script</c>) and returns what it printed.</summary>
    private static async Task<string> RunInTerminalAsync(CliSession cli, params string[] arguments)
    {
        var info = SlipwayBinary.StartInfo([]);
        info.FileName = "script";
        foreach (var argument in new[] { "-q", "-e", "-c", string.Join(' ', new[] { SlipwayBinary.FilePath }.Concat(arguments).Select(ShellQuoting.Quote)), "/dev/null" })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in cli.Environment)
        {
            info.Environment[name] = value;
        }

        info.Environment["TERM"] = "xterm-256color";
        using var process = SlipwayBinary.Start(info);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(CliProcess.CommandTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"slipway {string.Join(' ', arguments)} on a terminal exited {process.ExitCode}:\n{await output}\n{await errors}");
        return await output;
    }
}
