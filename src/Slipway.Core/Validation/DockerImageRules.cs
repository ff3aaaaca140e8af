using System.Text.RegularExpressions;

namespace Slipway.Core.Validation;

/// <summary>Docker image references: repository names per the distribution grammar, tags per Docker's tag rule.</summary>
public static partial class DockerImageRules
{
    public static string? CheckName(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "The image name must not be empty.";
        }

        return value.Length <= 255 && Name().IsMatch(value)
            ? null
            : "The image name must be a Docker repository name such as 'nginx', 'library/nginx' or 'registry.example.com:5000/team/app' (lower-case letters, digits and . _ - /).";
    }

    public static string? CheckTag(string? value) =>
        !string.IsNullOrEmpty(value) && Tag().IsMatch(value)
            ? null
            : "The tag must be 1-128 characters of letters, digits and _ . -, not starting with . or -.";

    /// <summary>A full reference, <c>name[:tag]</c>, as used for base images such as <c>static_image</c>.</summary>
    public static string? CheckReference(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "The image must not be empty.";
        }

        var lastSlash = value.LastIndexOf('/');
        var colon = value.LastIndexOf(':');
        if (colon > lastSlash)
        {
            return CheckName(value[..colon]) ?? CheckTag(value[(colon + 1)..]);
        }

        return CheckName(value);
    }

    // [host[:port]/]component(/component)* with components of lower-case alphanumerics joined by . _ __ or -.
    [GeneratedRegex(@"^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?/)?[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();
}
