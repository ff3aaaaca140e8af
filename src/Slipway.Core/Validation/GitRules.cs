using System.Text.RegularExpressions;

namespace Slipway.Core.Validation;

/// <summary>
/// Allow-lists for git input: branches, commits and refs (Coolify's <c>validateGitRef</c> and
/// <c>ValidGitBranch</c>, tightened). Each check returns null when the value is acceptable, else a message.
/// </summary>
public static partial class GitRules
{
    public const int MaxLength = 255;

    /// <summary>A branch name: letters, digits and <c>. _ - / +</c>; no leading <c>-</c> <c>/</c> <c>.</c>, no <c>..</c>, <c>//</c>, <c>@{</c>, trailing <c>/</c> <c>.</c> or <c>.lock</c>.</summary>
    public static string? CheckBranch(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "The branch must not be empty.";
        }

        if (value.Length > MaxLength || !Branch().IsMatch(value)
            || value.Contains("..", StringComparison.Ordinal) || value.Contains("//", StringComparison.Ordinal)
            || value.EndsWith('/') || value.EndsWith('.') || value.EndsWith(".lock", StringComparison.Ordinal)
            || value.Contains("/.", StringComparison.Ordinal))
        {
            return "The branch may contain only letters, digits and . _ - / +, must start with a letter or digit, and must not contain '..' or '//' or end with '/', '.' or '.lock'.";
        }

        return null;
    }

    /// <summary>
    /// A commit or ref to deploy: <c>HEAD</c>, or a ref/SHA made of letters, digits and <c>. _ - /</c> that starts
    /// with a letter or digit (so it can never be read as an option).
    /// </summary>
    public static string? CheckCommit(string? value)
    {
        if (string.IsNullOrEmpty(value) || value == "HEAD")
        {
            return null;
        }

        if (value.Length > MaxLength || !Ref().IsMatch(value) || value.Contains("..", StringComparison.Ordinal))
        {
            return "The commit must be HEAD or a commit SHA / ref made of letters, digits and . _ - /, starting with a letter or digit.";
        }

        return null;
    }

    /// <summary>True for a full 40-character (SHA-1) or 64-character (SHA-256) hex object name.</summary>
    public static bool IsFullSha(string value) => FullSha().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/+-]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Branch();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Ref();

    [GeneratedRegex("^([0-9a-f]{40}|[0-9a-f]{64})\\z", RegexOptions.CultureInvariant)]
    private static partial Regex FullSha();
}
