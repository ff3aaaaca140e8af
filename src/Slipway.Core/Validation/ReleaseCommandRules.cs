using System.Text.RegularExpressions;

namespace Slipway.Core.Validation;

/// <summary>
/// <c>pre_deployment_command</c> and <c>post_deployment_command</c> and their <c>_container</c> fields. A command is the
/// user's own shell text, run by the container's <c>sh -c</c> as one argument of <c>docker exec</c> (never by a host
/// shell; over SSH it passes through the transport's one quoting function), so its characters are not restricted
/// beyond a length and no control characters. Newlines are flattened to spaces when stored, as Coolify does.
/// </summary>
public static partial class ReleaseCommandRules
{
    public const int CommandMaxLength = 4096;
    public const string ContainerPattern = @"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}$";

    /// <summary>The stored form: newlines (and the CR of CRLF) become spaces.</summary>
    public static string? Flatten(string? value) =>
        value?.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');

    /// <summary>The API's check: what is left once newlines are flattened must pass <see cref="CheckCommand"/>.</summary>
    public static string? CheckSentCommand(string? value, string field) => CheckCommand(Flatten(value), field);

    /// <summary>The engine's check of a stored command: at most 4096 characters, none of them a control character.</summary>
    public static string? CheckCommand(string? value, string field) =>
        value is null || (value.Length <= CommandMaxLength && !value.Any(char.IsControl) && !string.IsNullOrWhiteSpace(value))
            ? null
            : $"The {field} must be a command of at most {CommandMaxLength} characters without control characters.";

    /// <summary>A Docker Compose service name (Coolify's use of the field); null or empty names none.</summary>
    public static string? CheckContainer(string? value, string field) =>
        string.IsNullOrEmpty(value) || Container().IsMatch(value)
            ? null
            : $"The {field} must be a service name of 1-255 letters, digits, '_', '.' or '-', starting with a letter or digit.";

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Container();
}
