using System.Text.RegularExpressions;

namespace Slipway.Core.Validation;

/// <summary>Names, descriptions, environment variable keys and values, SSH users and hosts.</summary>
public static partial class TextRules
{
    public static string? CheckName(string? value, string field, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? $"The {field} field is required." : null;
        }

        return value.Length <= 255 && !value.Any(char.IsControl) ? null : $"The {field} must be at most 255 characters without control characters.";
    }

    public static string? CheckDescription(string? value) =>
        value is null || (value.Length <= 2000 && !value.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
            ? null
            : "The description must be at most 2000 characters.";

    public static string? CheckEnvKey(string? value) =>
        value is not null && value.Length <= 255 && EnvKey().IsMatch(value)
            ? null
            : "The key must start with a letter or underscore and contain only letters, digits, _ and . (e.g. DATABASE_URL).";

    /// <summary>
    /// Values go into an env file (never onto a command line); Docker's env-file format is one line per variable,
    /// so a value cannot hold a newline or NUL.
    /// </summary>
    public static string? CheckEnvValue(string? value) =>
        value is null || (value.Length <= 65536 && !value.Contains('\n', StringComparison.Ordinal) && !value.Contains('\r', StringComparison.Ordinal) && !value.Contains('\0', StringComparison.Ordinal))
            ? null
            : "The value must be at most 64 KB on one line: Docker env files cannot hold newlines.";

    public static string? CheckSshUser(string? value) =>
        value is not null && SshUser().IsMatch(value) ? null : "The user must be a Unix user name (lower-case letters, digits, _ and -).";

    public static string? CheckHost(string? value) =>
        value is not null && value.Length <= 253 && Host().IsMatch(value) ? null : "The ip must be a host name or an IP address.";

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex EnvKey();

    [GeneratedRegex(@"^[a-z_][a-z0-9_-]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SshUser();

    [GeneratedRegex(@"^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|[0-9A-Fa-f:]+)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Host();
}
