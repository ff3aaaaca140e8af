using Slipway.Core.Webhooks;

namespace Slipway.Core.Tests.Webhooks;

public sealed class WatchPathsTests
{
    [Theory]
    // * stays within one segment, ** crosses them, **/ may match no directory at all.
    [InlineData("src/*", "src/app.js", true)]
    [InlineData("src/*", "src/lib/app.js", false)]
    [InlineData("src/**", "src/lib/deep/app.js", true)]
    [InlineData("src/**", "srcx/app.js", false)]
    [InlineData("**/*.md", "README.md", true)]
    [InlineData("**/*.md", "docs/guide/intro.md", true)]
    [InlineData("*.md", "docs/intro.md", false)]
    [InlineData("docs/**/*.md", "docs/intro.md", true)]
    [InlineData("docs/**/*.md", "docs/a/b/intro.md", true)]
    // ? is one character, never '/'.
    [InlineData("v?.txt", "v1.txt", true)]
    [InlineData("v?.txt", "v10.txt", false)]
    [InlineData("a?b", "a/b", false)]
    // Character classes, negated classes and ranges.
    [InlineData("file[0-9].txt", "file7.txt", true)]
    [InlineData("file[0-9].txt", "filex.txt", false)]
    [InlineData("file[!0-9].txt", "filex.txt", true)]
    [InlineData("file[!0-9].txt", "file7.txt", false)]
    // Alternatives.
    [InlineData("src/*.{js,ts}", "src/app.ts", true)]
    [InlineData("src/*.{js,ts}", "src/app.css", false)]
    // Everything else is literal: a dot is a dot, a leading '/' anchors at the root, case matters.
    [InlineData("index.html", "index.html", true)]
    [InlineData("index.html", "indexXhtml", false)]
    [InlineData("/index.html", "index.html", true)]
    [InlineData("index.html", "sub/index.html", false)]
    [InlineData("Docs/**", "docs/a.md", false)]
    [InlineData("file(1)+.txt", "file(1)+.txt", true)]
    public void Includes_SinglePattern_MatchesGlobSemantics(string pattern, string path, bool expected) =>
        Assert.Equal(expected, WatchPaths.Parse(pattern).Includes(path));

    [Theory]
    // Last match wins.
    [InlineData("src/**\n!src/**/*.test.js", "src/app.js", true)]
    [InlineData("src/**\n!src/**/*.test.js", "src/lib/app.test.js", false)]
    [InlineData("!src/**/*.test.js\nsrc/**", "src/lib/app.test.js", true)]
    [InlineData("src/**\n!src/vendor/**\nsrc/vendor/keep.js", "src/vendor/keep.js", true)]
    [InlineData("src/**\n!src/vendor/**\nsrc/vendor/keep.js", "src/vendor/other.js", false)]
    // Only negations: everything is included unless excluded.
    [InlineData("!docs/**", "src/app.js", true)]
    [InlineData("!docs/**\n!*.md", "README.md", false)]
    [InlineData("!docs/**", "docs/intro.md", false)]
    // With a positive pattern, files it does not name are excluded.
    [InlineData("src/**", "README.md", false)]
    // Blank lines, CRLF line ends, comments and surrounding spaces are ignored.
    [InlineData("\r\n  src/**  \r\n# a comment\r\n", "src/a.js", true)]
    [InlineData("\r\n  src/**  \r\n# a comment\r\n", "b.js", false)]
    public void Includes_SeveralPatterns_LastMatchWins(string patterns, string path, bool expected) =>
        Assert.Equal(expected, WatchPaths.Parse(patterns).Includes(path));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\n \n")]
    public void Parse_NothingConfigured_IsEmptyAndMatchesEveryFile(string? patterns)
    {
        var watchPaths = WatchPaths.Parse(patterns);

        Assert.True(watchPaths.IsEmpty);
        Assert.Equal(["a", "b/c"], watchPaths.Matching(["a", "b/c"]));
    }

    [Fact]
    public void Matching_ChangedFiles_ReturnsOnlyIncludedOnes() =>
        Assert.Equal(["src/a.js", "src/b/c.ts"], WatchPaths.Parse("src/**\n!**/*.md").Matching(["src/a.js", "README.md", "src/b/c.ts", "src/notes.md"]));

    [Theory]
    [InlineData("file[z-a].txt", "file[z-a].txt", true)]
    [InlineData("file[z-a].txt", "filem.txt", false)]
    [InlineData("{unclosed", "unclosed", true)]
    public void Parse_MalformedGlob_NeverThrowsAndStaysPredictable(string pattern, string path, bool expected) =>
        Assert.Equal(expected, WatchPaths.Parse(pattern).Includes(path));
}
