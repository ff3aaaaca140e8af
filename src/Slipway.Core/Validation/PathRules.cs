using System.Text.RegularExpressions;

namespace Slipway.Core.Validation;

/// <summary>
/// Allow-list for paths inside a repository (<c>base_directory</c>, <c>dockerfile_location</c>): absolute,
/// letters, digits and <c>. _ - / ~ @ +</c>, no <c>..</c> segment (Coolify's pattern after GHSA-qqrq-r9h4-x6wp).
/// </summary>
public static partial class PathRules
{
    public const int MaxLength = 255;

    public static string? Check(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"The {field} must not be empty.";
        }

        if (value == "/")
        {
            return null;
        }

        if (value.Length > MaxLength || !Path().IsMatch(value))
        {
            return $"The {field} must start with '/' and contain only letters, digits and . _ - / ~ @ +.";
        }

        return value.Split('/').Any(s => s == "..") ? $"The {field} must not contain '..' (path traversal)." : null;
    }

    [GeneratedRegex(@"^/[A-Za-z0-9._\-/~@+]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Path();
}
