using System.Globalization;
using System.Text.RegularExpressions;

namespace Slipway.Core.Validation;

/// <summary><c>ports_exposes</c> (<c>3000,8080</c>), <c>ports_mappings</c> (<c>8080:80,127.0.0.1:5353:53/udp</c>) and single ports.</summary>
public static partial class PortRules
{
    public static string? CheckPort(string? value, string field) =>
        TryParsePort(value, out _) ? null : $"The {field} must be a port number between 1 and 65535.";

    public static bool TryParsePort(string? value, out int port) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    public static string? CheckExposes(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "The ports_exposes must list at least one port, e.g. '3000' or '3000,8080'.";
        }

        return Split(value).All(p => TryParsePort(p, out _))
            ? null
            : "The ports_exposes must be a comma-separated list of port numbers between 1 and 65535.";
    }

    public static IReadOnlyList<int> ParseExposes(string value) =>
        Split(value).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();

    public static string? CheckMappings(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        foreach (var mapping in Split(value))
        {
            var match = Mapping().Match(mapping);
            if (!match.Success || !TryParsePort(match.Groups["host"].Value, out _) || !TryParsePort(match.Groups["container"].Value, out _))
            {
                return "The ports_mappings must be a comma-separated list of [ip:]host:container[/tcp|/udp] with ports between 1 and 65535.";
            }
        }

        return null;
    }

    /// <summary>The address a valid mapping binds to (<c>127.0.0.1</c>, <c>[::1]</c>), or null when it binds to every address.</summary>
    public static string? MappingAddress(string mapping) =>
        Mapping().Match(mapping) is { Success: true } match && match.Groups["ip"].Success ? match.Groups["ip"].Value : null;

    /// <summary>One checked mapping (<see cref="CheckMappings"/> passed) split into its parts; the IP is null when none is given.</summary>
    public static (string? Ip, int Host, int Container, bool Udp) ParseMapping(string mapping)
    {
        var match = Mapping().Match(mapping);
        var ip = match.Groups["ip"].Success ? match.Groups["ip"].Value : null;
        return (ip, int.Parse(match.Groups["host"].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups["container"].Value, CultureInfo.InvariantCulture),
            mapping.EndsWith("/udp", StringComparison.Ordinal));
    }

    public static IReadOnlyList<string> Split(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"^((?<ip>[0-9]{1,3}(\.[0-9]{1,3}){3}|\[[0-9A-Fa-f:]+\]):)?(?<host>[0-9]{1,5}):(?<container>[0-9]{1,5})(/(tcp|udp))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Mapping();
}
