using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Core.Webhooks;

/// <summary>
/// An application's <c>watch_paths</c>: one glob per line, Coolify's semantics. <c>*</c> matches within one path
/// segment, <c>**</c> across segments (<c>**/</c> also matches no directory at all), <c>?</c> one character,
/// <c>[abc]</c> / <c>[!abc]</c> a character class, <c>{a,b}</c> alternatives; a leading <c>!</c> negates. For each
/// changed file the last matching line wins; when every line is a negation, files are included unless excluded.
/// Patterns are anchored at the repository root (a leading <c>/</c> is allowed) and case-sensitive, like git paths.
/// </summary>
/// <remarks>
/// <c>Microsoft.Extensions.FileSystemGlobbing</c> was considered: it has include/exclude sets (exclude always
/// wins, no order) but neither "last match wins", <c>{a,b}</c> nor character classes, so it cannot express these rules.
/// </remarks>
public sealed class WatchPaths
{
    private readonly IReadOnlyList<(Regex Pattern, bool Negated)> _rules;

    /// <summary>What a file no line matches gets: included only when every line is a negation.</summary>
    private readonly bool _includedByDefault;

    private WatchPaths(IReadOnlyList<(Regex Pattern, bool Negated)> rules)
    {
        _rules = rules;
        _includedByDefault = rules.All(r => r.Negated);
    }

    /// <summary>True when no pattern is configured: every push deploys.</summary>
    public bool IsEmpty => _rules.Count == 0;

    public static WatchPaths Parse(string? text)
    {
        var rules = new List<(Regex, bool)>();
        foreach (var raw in (text ?? string.Empty).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var negated = line.StartsWith('!');
            var glob = (negated ? line[1..] : line).TrimStart('/');
            if (glob.Length > 0)
            {
                rules.Add((ToRegexOrLiteral(glob), negated));
            }
        }

        return new WatchPaths(rules);
    }

    /// <summary>Whether a change to <paramref name="path"/> (relative to the repository root) should deploy.</summary>
    public bool Includes(string path)
    {
        path = path.TrimStart('/');
        var included = _includedByDefault;
        foreach (var (pattern, negated) in _rules)
        {
            if (pattern.IsMatch(path))
            {
                included = !negated;
            }
        }

        return included;
    }

    /// <summary>The changed files that should deploy (all of them when no pattern is configured).</summary>
    public IReadOnlyList<string> Matching(IEnumerable<string> changedFiles) =>
        IsEmpty ? changedFiles.ToList() : changedFiles.Where(Includes).ToList();

    /// <summary>A line that is not a valid glob (a reversed range such as <c>[z-a]</c>) matches only itself.</summary>
    private static Regex ToRegexOrLiteral(string glob)
    {
        try
        {
            return ToRegex(glob);
        }
        catch (ArgumentException)
        {
            return new Regex("^" + Regex.Escape(glob) + "$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
    }

    /// <summary>Translates one glob into an anchored regular expression; every other character is literal.</summary>
    public static Regex ToRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        var braces = 0;
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*' when i + 1 < glob.Length && glob[i + 1] == '*':
                    var slashFollows = i + 2 < glob.Length && glob[i + 2] == '/';
                    // "**/" may match no directory at all ("**/*.md" matches "README.md"); a bare "**" matches anything.
                    pattern.Append(slashFollows ? "(?:.*/)?" : ".*");
                    i += slashFollows ? 2 : 1;
                    break;
                case '*':
                    pattern.Append("[^/]*");
                    break;
                case '?':
                    pattern.Append("[^/]");
                    break;
                case '[' when glob.IndexOf(']', i + 1) is var close && close > i + 1:
                    pattern.Append(CharacterClass(glob[(i + 1)..close]));
                    i = close;
                    break;
                case '{':
                    braces++;
                    pattern.Append("(?:");
                    break;
                case '}' when braces > 0:
                    braces--;
                    pattern.Append(')');
                    break;
                case ',' when braces > 0:
                    pattern.Append('|');
                    break;
                default:
                    pattern.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        // An unclosed "{" is taken literally rather than rejected: close the groups so the expression stays valid.
        pattern.Append(')', braces).Append('$');
        return new Regex(pattern.ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }

    private static string CharacterClass(string body)
    {
        var negated = body.Length > 1 && body[0] is '!' or '^';
        var members = new StringBuilder();
        foreach (var c in negated ? body[1..] : body)
        {
            // '-' keeps its range meaning; everything else that is special inside a class is escaped.
            members.Append(c is '\\' or ']' or '[' or '^' ? "\\" + c : c.ToString());
        }

        return negated ? $"[^/{members}]" : $"[{members}]";
    }
}
