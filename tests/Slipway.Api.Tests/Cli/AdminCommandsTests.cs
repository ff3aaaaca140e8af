using System.Globalization;
using System.Text.RegularExpressions;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Validation;
using Slipway.Testing;

namespace Slipway.Api.Tests.Cli;

/// <summary>
/// <c>slipway teams</c> and <c>slipway tokens</c> through the real executable, on a fresh data directory
/// (and a fresh PostgreSQL database on the PostgreSQL tier).
/// </summary>
public sealed partial class AdminCommandsTests
{
    private const string RootTokenPrefix = "Root API token: ";

    [Fact]
    public async Task FirstCommand_OnEmptyDataDir_PrintsRootTokenOnce_AndNeverAgain()
    {
        await using var database = await TestDatabase.CreateAsync();
        var data = SlipwayExecutable.DataArguments(database);

        var first = (await SlipwayExecutable.RunAsync(["teams", "create", "--name", "first", .. data])).AssertSucceeded();
        var rootLine = Assert.Single(first.OutputLines, l => l.StartsWith(RootTokenPrefix, StringComparison.Ordinal));
        var rootToken = rootLine[RootTokenPrefix.Length..];
        Assert.Matches(TokenPattern(), rootToken);
        var firstTeam = ParseId(first.OutputLines[^1], first);

        var second = (await SlipwayExecutable.RunAsync(["teams", "create", "--name", "second", .. data])).AssertSucceeded();
        Assert.DoesNotContain(RootTokenPrefix, second.StandardOutput + second.StandardError, StringComparison.Ordinal);
        Assert.Equal([second.OutputLines[^1]], second.OutputLines);
        Assert.True(ParseId(second.OutputLines[^1], second) > firstTeam, second.ToString());

        var list = (await SlipwayExecutable.RunAsync(["tokens", "list", .. data])).AssertSucceeded();
        Assert.DoesNotContain(RootTokenPrefix, list.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret(rootToken), list.StandardOutput, StringComparison.Ordinal);
        var rootRow = Row(list, IdOf(rootToken));
        Assert.Equal("0", rootRow[1]);
        Assert.Equal("active", rootRow[^1]);
    }

    [Fact]
    public async Task TokensCreate_ForTeam_PrintsTokenAloneOnLastLine_ListHidesSecret_RevokeRevokes()
    {
        await using var database = await TestDatabase.CreateAsync();
        var data = SlipwayExecutable.DataArguments(database);
        var team = (await SlipwayExecutable.RunAsync(["teams", "create", "--name", "builders", .. data])).AssertSucceeded();
        var teamId = ParseId(team.OutputLines[^1], team).ToString(CultureInfo.InvariantCulture);

        var created = (await SlipwayExecutable.RunAsync(
            ["tokens", "create", "--name", "ci", "--abilities", "read,deploy", "--team", teamId, .. data])).AssertSucceeded();
        var token = created.OutputLines[^1];
        Assert.Matches(TokenPattern(), token);
        Assert.DoesNotContain(RootTokenPrefix, created.StandardOutput, StringComparison.Ordinal);
        var tokenId = IdOf(token);

        var listed = (await SlipwayExecutable.RunAsync(["tokens", "list", .. data])).AssertSucceeded();
        Assert.DoesNotContain(Secret(token), listed.StandardOutput, StringComparison.Ordinal);
        var row = Row(listed, tokenId);
        Assert.Equal([tokenId, teamId, "ci", "read,deploy"], row[..4]);
        Assert.Equal("active", row[^1]);

        (await SlipwayExecutable.RunAsync(["tokens", "revoke", tokenId, .. data])).AssertSucceeded();

        var afterRevoke = (await SlipwayExecutable.RunAsync(["tokens", "list", .. data])).AssertSucceeded();
        Assert.Equal("revoked", Row(afterRevoke, tokenId)[^1]);
    }

    [Fact]
    public async Task TokensCreate_UnknownAbility_FailsWithErrorLine_AndCreatesNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var data = SlipwayExecutable.DataArguments(database);

        var failed = await SlipwayExecutable.RunAsync(["tokens", "create", "--name", "ci", "--abilities", "read,fly", .. data]);

        AssertFailedWithError(failed, "fly");
        var listed = (await SlipwayExecutable.RunAsync(["tokens", "list", .. data])).AssertSucceeded();
        Assert.DoesNotContain(listed.OutputLines, l => l.Split('\t') is [_, _, "ci", ..]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3651")]
    [InlineData("soon")]
    public async Task TokensCreate_ExpiryOutsideTheDashboardsRule_FailsWithItsMessage_AndCreatesNothing(string days)
    {
        await using var database = await TestDatabase.CreateAsync();
        var data = SlipwayExecutable.DataArguments(database);

        var failed = await SlipwayExecutable.RunAsync(["tokens", "create", "--name", "ci", "--abilities", "read", "--expires-in-days", days, .. data]);

        AssertFailedWithError(failed, TokenRules.ExpiryMessage);
        var listed = (await SlipwayExecutable.RunAsync(["tokens", "list", .. data])).AssertSucceeded();
        Assert.DoesNotContain(listed.OutputLines, l => l.Split('\t') is [_, _, "ci", ..]);
    }

    [Fact]
    public async Task TokensCreate_UnknownTeam_FailsWithErrorLine_AndCreatesNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var data = SlipwayExecutable.DataArguments(database);

        var failed = await SlipwayExecutable.RunAsync(["tokens", "create", "--name", "ci", "--abilities", "read", "--team", "4242", .. data]);

        AssertFailedWithError(failed, "4242");
        var listed = (await SlipwayExecutable.RunAsync(["tokens", "list", .. data])).AssertSucceeded();
        Assert.DoesNotContain(listed.OutputLines, l => l.Split('\t') is [_, _, "ci", ..]);
    }

    [Fact]
    public async Task TokensRevoke_UnknownToken_FailsWithErrorLine()
    {
        await using var database = await TestDatabase.CreateAsync();

        var failed = await SlipwayExecutable.RunAsync(["tokens", "revoke", "4242", .. SlipwayExecutable.DataArguments(database)]);

        AssertFailedWithError(failed, "4242");
    }

    [GeneratedRegex(@"^[0-9]+\|[A-Za-z0-9]+$")]
    private static partial Regex TokenPattern();

    private static void AssertFailedWithError(CliResult result, string mentioning)
    {
        Assert.True(result.ExitCode != 0, $"Expected a non-zero exit code.\n{result}");
        var error = Assert.Single(result.ErrorLines, l => l.StartsWith("ERROR: ", StringComparison.Ordinal));
        Assert.Contains(mentioning, error, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^[0-9]+\|", result.StandardOutput);
    }

    private static long ParseId(string line, CliResult result) =>
        long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new Xunit.Sdk.XunitException($"Expected an integer id on the last line, got '{line}'.\n{result}");

    private static string IdOf(string token) => token[..token.IndexOf('|', StringComparison.Ordinal)];

    private static string Secret(string token) => token[(token.IndexOf('|', StringComparison.Ordinal) + 1)..];

    /// <summary>The tab-separated <c>tokens list</c> row of one token id.</summary>
    private static string[] Row(CliResult list, string tokenId) =>
        list.OutputLines.Select(l => l.Split('\t')).SingleOrDefault(c => c[0] == tokenId)
            ?? throw new Xunit.Sdk.XunitException($"No row for token {tokenId}.\n{list}");
}
