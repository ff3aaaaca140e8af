namespace Slipway.Core.Execution.Tests;

/// <summary>
/// <see cref="ShellQuoting"/> is the only code in Slipway that builds shell text, and every SSH command goes
/// through it: these tests pin its exact output for tricky strings and prove, through real shells, that what
/// goes in comes back out byte for byte.
/// </summary>
public sealed class ShellQuotingTests
{
    public static TheoryData<string, string> ExactQuotes => new()
    {
        { "", "''" },
        { "plain", "'plain'" },
        { "two words", "'two words'" },
        { "'", "''\\'''" },
        { "''", "''\\'''\\'''" },
        { "it's", "'it'\\''s'" },
        { "\\", "'\\'" },
        { "\"", "'\"'" },
        { "$HOME", "'$HOME'" },
        { "$(id)", "'$(id)'" },
        { "`id`", "'`id`'" },
        { ";|&<>*?[]{}~#!", "';|&<>*?[]{}~#!'" },
        { "a\nb", "'a\nb'" },
        { "a\tb", "'a\tb'" },
        { "a\rb", "'a\rb'" },
        { "-rf", "'-rf'" },
        { "--", "'--'" },
        { "héllo wörld", "'héllo wörld'" },
        { "🚀", "'🚀'" },
    };

    public static TheoryData<string> TrickyStrings => new(
        "", " ", "  leading and trailing  ", "'", "''", "'''", "it's", "\\", "\\\\", "\\'", "'\\", "\"", "\"'\"",
        "$", "$HOME", "${HOME}", "$(id)", "$((1+1))", "`id`", "$'\\n'", ";", "|", "&", "&&", "||", "<", ">", ">>",
        "*", "?", "[a-z]", "{a,b}", "~", "~root", "#comment", "!", "!!", "!$", ";|&<>*?[]{}~#!", "a\nb", "\n", "\n\n",
        "a\tb", "\t", "a\rb", "\r\n", "\u0001\u0002\u001b[31m", "\u007f", "\u0085", "\u00a0", "\u2028", "héllo wörld",
        "日本語", "🚀", "👩‍👩‍👧", "-", "-n", "-e", "--help", "-rf /", "a=b", "IFS= x", "%s%d%%", "\\0", "x'; id; '",
        "'\"'\"'", "$IFS", "\\$", "a\\\nb", "line1\nline2'\n'line3");

    [Theory]
    [MemberData(nameof(ExactQuotes))]
    public void Quote_TrickyString_IsSingleQuotedWithEmbeddedQuotesEscaped(string value, string expected)
    {
        Assert.Equal(expected, ShellQuoting.Quote(value));
    }

    [Theory]
    [MemberData(nameof(TrickyStrings))]
    public void Quote_TrickyString_StartsAndEndsWithSingleQuoteAndHasNoBareQuote(string value)
    {
        var quoted = ShellQuoting.Quote(value);

        Assert.StartsWith("'", quoted, StringComparison.Ordinal);
        Assert.EndsWith("'", quoted, StringComparison.Ordinal);
        // Inside, every single quote is part of the close-escape-reopen sequence.
        var inner = quoted[1..^1].Replace("'\\''", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain('\'', inner);
    }

    [Fact]
    public void Quote_Nul_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => ShellQuoting.Quote("a\0b"));
        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ShellQuoting.Join(["ok", "\0"]));
    }

    [Fact]
    public void Quote_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => ShellQuoting.Quote(null!));
    }

    [Fact]
    public void Join_QuotesEachArgumentAndSeparatesWithOneSpace()
    {
        Assert.Equal("'docker' 'run' '--name' 'a b' ''", ShellQuoting.Join(["docker", "run", "--name", "a b", ""]));
        Assert.Equal(string.Empty, ShellQuoting.Join([]));
    }

    [Fact]
    public void Quote_VeryLongString_KeepsEveryCharacter()
    {
        var value = string.Concat(Enumerable.Repeat("ab'c d\"$x\n", 20_000));

        var quoted = ShellQuoting.Quote(value);

        Assert.Equal(value.Length + 2 + (20_000 * 3), quoted.Length);
    }

    [Theory]
    [InlineData("docker", "docker")]
    [InlineData("--format={{.Server.Version}}", "'--format={{.Server.Version}}'")]
    [InlineData("a b", "'a b'")]
    [InlineData("", "''")]
    [InlineData("/srv/app-1/x.y:z,w@v+1", "/srv/app-1/x.y:z,w@v+1")]
    [InlineData("a\0b", "'ab'")]
    public void QuoteForDisplay_LeavesPlainWordsBareAndQuotesTheRest(string value, string expected)
    {
        Assert.Equal(expected, ShellQuoting.QuoteForDisplay(value));
    }

    [Theory]
    [MemberData(nameof(TrickyStrings))]
    public async Task Quote_TrickyString_RoundTripsThroughRealShells(string value)
    {
        foreach (var shell in ShellProcess.Shells)
        {
            var echoed = await ShellProcess.EchoArgumentsAsync(shell, [value, "sentinel"], TestContext.Current.CancellationToken);

            Assert.Equal([value, "sentinel"], echoed);
        }
    }

    [Fact]
    public async Task Quote_VeryLongString_RoundTripsThroughRealShell()
    {
        // One argv entry is limited to 128 KiB on Linux; stay under it after quoting.
        var value = string.Concat(Enumerable.Repeat("x'y\"z $(id) `id` \\ ; \n\t🚀", 3_000));

        var echoed = await ShellProcess.EchoArgumentsAsync("/bin/sh", [value], TestContext.Current.CancellationToken);

        Assert.Equal(value, Assert.Single(echoed));
    }
}
