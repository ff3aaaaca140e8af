namespace Slipway.Core.Execution.Tests;

/// <summary>
/// The attack the quoting exists to stop: an argument that tries to break out and run its own command. Each
/// payload tries to create a marker file; the shell must print the payload as data and the file must never exist.
/// </summary>
public sealed class ShellQuotingInjectionTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "slipway-quoting-" + Guid.NewGuid().ToString("N"));

    public ShellQuotingInjectionTests() => Directory.CreateDirectory(_directory);

    private string Marker => Path.Combine(_directory, "pwned");

    public static TheoryData<string> PayloadTemplates => new(
        "x'; touch MARKER; '",
        "'; touch MARKER; echo '",
        "'$(touch MARKER)'",
        "$(touch MARKER)",
        "`touch MARKER`",
        "\"; touch MARKER; \"",
        "\\'; touch MARKER; \\'",
        "x\ntouch MARKER\n",
        "x' ; touch MARKER #",
        "'\"'\"'; touch MARKER; '\"'\"'",
        "x'\\''; touch MARKER; '\\''",
        "' && touch MARKER && '",
        "' || touch MARKER || '",
        "' | touch MARKER | '",
        "'>MARKER'",
        "x' >MARKER '",
        "$(IFS=_;cmd=touch_MARKER;$cmd)",
        "${IFS}touch${IFS}MARKER",
        "\r'; touch MARKER; '\r",
        "'\u0001'; touch MARKER");

    [Theory]
    [MemberData(nameof(PayloadTemplates))]
    public async Task Quote_InjectionPayload_IsPrintedAndNeverExecuted(string template)
    {
        var payload = template.Replace("MARKER", Marker, StringComparison.Ordinal);

        foreach (var shell in ShellProcess.Shells)
        {
            var echoed = await ShellProcess.EchoArgumentsAsync(shell, [payload], TestContext.Current.CancellationToken);

            Assert.Equal(payload, Assert.Single(echoed));
            Assert.False(File.Exists(Marker), $"{shell} ran the payload {payload}");
        }
    }

    [Fact]
    public async Task Quote_QuotedScriptAsArgumentOfShC_KeepsNestedArgumentsInert()
    {
        // The SSH runner nests: an inner script (itself built with Quote) is quoted again as one argument of sh -c.
        var inner = ShellQuoting.Join(["printf", "%s\\0", $"a'; touch {Marker}; '", "$(touch " + Marker + ")"]);
        var outer = ShellQuoting.Join(["sh", "-c", inner]);

        var (exitCode, output, error) = await ShellProcess.RunAsync("/bin/sh", outer, TestContext.Current.CancellationToken);

        Assert.True(exitCode == 0, error);
        Assert.Equal($"a'; touch {Marker}; '\0$(touch {Marker})\0", System.Text.Encoding.UTF8.GetString(output));
        Assert.False(File.Exists(Marker));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
