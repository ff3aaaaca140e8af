using System.Text.RegularExpressions;

namespace Slipway.Core.Validation;

/// <summary>
/// Health-check fields with Coolify's names. Every value is either from a fixed set or matches a narrow pattern,
/// so none can carry a command (CVE-2026-59734, GHSA-qqrq-r9h4-x6wp).
/// </summary>
public static partial class HealthCheckRules
{
    public static readonly IReadOnlyList<string> Methods = ["GET", "HEAD", "POST", "OPTIONS"];
    public static readonly IReadOnlyList<string> Schemes = ["http", "https"];

    public const string TypeHttp = "http";
    public const string TypeCmd = "cmd";
    public static readonly IReadOnlyList<string> Types = [TypeHttp, TypeCmd];

    /// <summary>Coolify's allow-list for <c>health_check_command</c>, its exact pattern and limit (no quotes, pipes, <c>;</c>, <c>&amp;</c>, <c>$</c>, redirections or newlines).</summary>
    public const string CommandPattern = @"^[a-zA-Z0-9 \-_.\/:=@,+]+$";

    public const int CommandMaxLength = 1000;

    public static string? CheckPath(string? value) =>
        value is not null && value.Length <= 255 && Path().IsMatch(value) && !value.Split('/').Any(s => s == "..")
            ? null
            : "The health_check_path must start with '/' and contain only letters, digits and . _ ~ - / % (plus an optional ?key=value query).";

    public static string? CheckHost(string? value) =>
        value is not null && value.Length <= 253 && Host().IsMatch(value)
            ? null
            : "The health_check_host must be a host name or IP address.";

    public static string? CheckMethod(string? value) =>
        value is not null && Methods.Contains(value, StringComparer.Ordinal)
            ? null
            : $"The health_check_method must be one of {string.Join(", ", Methods)}.";

    public static string? CheckScheme(string? value) =>
        value is not null && Schemes.Contains(value, StringComparer.Ordinal)
            ? null
            : "The health_check_scheme must be http or https.";

    public static string? CheckReturnCode(int value) =>
        value is >= 100 and <= 599 ? null : "The health_check_return_code must be an HTTP status between 100 and 599.";

    public static string? CheckSeconds(int value, string field, int minimum, int maximum) =>
        value >= minimum && value <= maximum ? null : $"The {field} must be between {minimum} and {maximum}.";

    public static string? CheckResponseText(string? value) =>
        value is null || (value.Length <= 255 && !value.Any(char.IsControl))
            ? null
            : "The health_check_response_text must be at most 255 characters without control characters.";

    public static string? CheckType(string? value) =>
        value is not null && Types.Contains(value, StringComparer.Ordinal) ? null : "The health_check_type must be http or cmd.";

    /// <summary>
    /// Runs inside the container as <c>sh -c COMMAND</c> (an argument of <c>docker exec</c>, never a host shell), and
    /// still only from Coolify's allow-list: a program and its arguments, nothing a shell would expand or chain.
    /// </summary>
    public static string? CheckCommand(string? value) =>
        value is null || (value.Length <= CommandMaxLength && Command().IsMatch(value) && !string.IsNullOrWhiteSpace(value))
            ? null
            : $"The health_check_command must be at most {CommandMaxLength} characters of letters, digits, spaces and - _ . / : = @ , + (no quotes, pipes, ;, &, $, redirections or newlines).";

    /// <summary>A <c>cmd</c> health check that is enabled needs its command.</summary>
    public static string? CheckCommandPresent(bool enabled, string? type, string? command) =>
        enabled && type == TypeCmd && string.IsNullOrWhiteSpace(command)
            ? "The health_check_command is required when health_check_type is cmd."
            : null;

    [GeneratedRegex(@"^[a-zA-Z0-9 \-_.\/:=@,+]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Command();

    [GeneratedRegex(@"^/[A-Za-z0-9._~%/-]*(\?[A-Za-z0-9._~%=&-]*)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Path();

    [GeneratedRegex(@"^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])\z", RegexOptions.CultureInvariant)]
    private static partial Regex Host();
}
