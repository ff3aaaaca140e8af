using System.Text.RegularExpressions;

namespace Slipway.Core.Validation;

/// <summary>
/// Coolify's <c>custom_docker_run_options</c>, accepted for a validated subset of <c>docker run</c> options and
/// parsed into separate arguments — never handed to a shell. Any other option is refused by name.
/// </summary>
public static partial class DockerRunOptions
{
    private static readonly Dictionary<string, Func<string, bool>> Allowed = new(StringComparer.Ordinal)
    {
        ["--network"] = v => NetworkName().IsMatch(v),
        ["--cap-add"] = v => Capability().IsMatch(v),
        ["--cap-drop"] = v => Capability().IsMatch(v),
        ["--ulimit"] = v => Ulimit().IsMatch(v),
        ["--memory"] = v => Size().IsMatch(v),
        ["--memory-swap"] = v => v == "-1" || Size().IsMatch(v),
        ["--memory-reservation"] = v => Size().IsMatch(v),
        ["--shm-size"] = v => Size().IsMatch(v),
        ["--cpus"] = v => Cpus().IsMatch(v),
        ["--pids-limit"] = v => PidsLimit().IsMatch(v),
    };

    public static IReadOnlyCollection<string> Supported => Allowed.Keys;

    /// <summary>Parses the options; on failure <paramref name="error"/> names the offending option.</summary>
    public static bool TryParse(string? value, out IReadOnlyList<RunOption> options, out string? error)
    {
        var parsed = new List<RunOption>();
        options = parsed;
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (value.Length > 1024)
        {
            error = "The custom_docker_run_options are too long.";
            return false;
        }

        var tokens = value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            string name;
            string? optionValue;
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (token.StartsWith("--", StringComparison.Ordinal) && equals > 2)
            {
                name = token[..equals];
                optionValue = token[(equals + 1)..];
            }
            else
            {
                name = token;
                optionValue = i + 1 < tokens.Length ? tokens[++i] : null;
            }

            if (!Allowed.TryGetValue(name, out var isValid))
            {
                error = $"The docker run option '{Shorten(name)}' is not supported; supported: {string.Join(", ", Allowed.Keys)}.";
                return false;
            }

            if (optionValue is null || !isValid(optionValue))
            {
                error = $"The value of the docker run option {name} is not valid.";
                return false;
            }

            parsed.Add(new RunOption(name, optionValue));
        }

        return true;
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NetworkName();

    [GeneratedRegex(@"^(CAP_)?[A-Z_]{2,32}\z|^ALL\z", RegexOptions.CultureInvariant)]
    private static partial Regex Capability();

    [GeneratedRegex(@"^[a-z]{2,16}=-?[0-9]{1,19}(:-?[0-9]{1,19})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Ulimit();

    [GeneratedRegex(@"^[0-9]{1,15}[bkmgBKMG]?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Size();

    [GeneratedRegex(@"^[0-9]{1,4}(\.[0-9]{1,3})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Cpus();

    [GeneratedRegex(@"^-?[0-9]{1,9}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PidsLimit();
}

/// <summary>One parsed <c>docker run</c> option and its value.</summary>
public sealed record RunOption(string Name, string Value);
