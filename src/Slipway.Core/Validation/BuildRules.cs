using System.Text.RegularExpressions;

namespace Slipway.Core.Validation;

/// <summary>Build settings that reach <c>docker build</c>: the target stage and the static build pack's publish directory.</summary>
public static partial class BuildRules
{
    /// <summary>Coolify's pattern for <c>dockerfile_target_build</c> (a stage name), at most 128 characters.</summary>
    public const string TargetPattern = @"^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$";

    public static string? CheckTarget(string? value) =>
        string.IsNullOrEmpty(value) || Target().IsMatch(value)
            ? null
            : "The dockerfile_target_build must be a stage name: 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit.";

    /// <summary>
    /// Inserts <c>ARG NAME</c> for each of <paramref name="names"/> after every <c>FROM</c> line, so every stage sees the
    /// build arguments (Coolify's <c>inject_build_args_to_dockerfile</c>). Names are checked variable names.
    /// </summary>
    public static string InjectArguments(string dockerfile, IReadOnlyCollection<string> names)
    {
        if (names.Count == 0)
        {
            return dockerfile;
        }

        var lines = dockerfile.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var result = new List<string>(lines.Length + names.Count);
        var continued = false;
        var inFrom = false;
        foreach (var line in lines)
        {
            result.Add(line);
            if (!continued)
            {
                inFrom = From().IsMatch(line);
            }

            continued = line.TrimEnd().EndsWith('\\');
            if (inFrom && !continued)
            {
                result.AddRange(names.Order(StringComparer.Ordinal).Select(n => $"ARG {n}"));
                inFrom = false;
            }
        }

        return string.Join('\n', result);
    }

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Target();

    [GeneratedRegex(@"^\s*FROM\s", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex From();
}
