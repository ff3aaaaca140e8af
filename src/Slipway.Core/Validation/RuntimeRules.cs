using System.Globalization;
using System.Text.RegularExpressions;
using Slipway.Core.Applications;

namespace Slipway.Core.Validation;

/// <summary>
/// How the container runs, with Coolify's field names: restart policy, the memory and CPU limits beyond
/// <c>limits_memory</c>/<c>limits_cpus</c>, and a fixed container name. Every value is a number or matches a narrow
/// pattern, so each becomes exactly one <c>docker run</c> argument.
/// </summary>
public static partial class RuntimeRules
{
    public const string SizePattern = @"^[0-9]{1,12}[bkmgBKMG]?$";
    public const string SwapPattern = @"^(-1|[0-9]{1,12}[bkmgBKMG]?)$";
    public const string CpusetPattern = @"^[0-9]{1,4}(-[0-9]{1,4})?(,[0-9]{1,4}(-[0-9]{1,4})?)*$";
    public const string ContainerNamePattern = @"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$";
    public const int MaxRestartCountLimit = 1000;
    public const int CpuSharesMaximum = 262144;

    /// <summary>Coolify's defaults, which are also the kernel's and Docker's: not passed to <c>docker run</c>.</summary>
    public const int DefaultSwappiness = 60;

    public const int DefaultCpuShares = 1024;

    public static string? CheckSize(string? value, string field) =>
        value is not null && (value == "0" || Size().IsMatch(value)) ? null : $"The {field} must be 0 (none) or a size such as 256m or 1g.";

    public static string? CheckSwap(string? value) =>
        value is not null && (value is "0" or "-1" || Size().IsMatch(value))
            ? null
            : "The limits_memory_swap must be 0 (none), -1 (unlimited swap) or a size such as 1g (memory plus swap).";

    public static string? CheckSwappiness(int value) =>
        value is >= 0 and <= 100 ? null : "The limits_memory_swappiness must be between 0 and 100.";

    public static string? CheckCpuShares(int value) =>
        value == 0 || value is >= 2 and <= CpuSharesMaximum ? null : $"The limits_cpu_shares must be 0 (Docker's default) or between 2 and {CpuSharesMaximum}.";

    public static string? CheckMaxRestartCount(int value) =>
        value is >= 0 and <= MaxRestartCountLimit ? null : $"The max_restart_count must be between 0 (always restart unless stopped) and {MaxRestartCountLimit}.";

    /// <summary>CPU numbers and ascending ranges (<c>0-3</c>, <c>0,2</c>); null or empty sets none.</summary>
    public static string? CheckCpuset(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        const string message = "The limits_cpuset must list CPU numbers or ascending ranges such as 0-3 or 0,2 (at most 128 characters).";
        if (value.Length > 128 || !Cpuset().IsMatch(value))
        {
            return message;
        }

        foreach (var part in value.Split(','))
        {
            var bounds = part.Split('-');
            if (bounds.Length == 2 && int.Parse(bounds[0], CultureInfo.InvariantCulture) > int.Parse(bounds[1], CultureInfo.InvariantCulture))
            {
                return message;
            }
        }

        return null;
    }

    /// <summary>
    /// Docker's container-name characters, at most 63 (it is also the container's name on the <c>slipway</c> network).
    /// Names starting with <c>slipway</c> are Slipway's own containers (the proxy) and are refused.
    /// </summary>
    public static string? CheckContainerName(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!ContainerName().IsMatch(value))
        {
            return "The custom_internal_name must be 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit.";
        }

        return value.StartsWith("slipway", StringComparison.OrdinalIgnoreCase)
            ? "The custom_internal_name must not start with 'slipway' (Slipway's own containers)."
            : null;
    }

    /// <summary>
    /// Limits Docker checks against each other, checked first so a deployment does not fail on them: swap and a
    /// reservation need <c>limits_memory</c>; swap is memory plus swap, so at least the memory; a reservation at most it.
    /// (field, message) pairs; none when a value does not parse (its own rule reports that).
    /// </summary>
    public static IEnumerable<(string Field, string Message)> CheckMemoryLimits(Application a)
    {
        var memory = Bytes(a.LimitsMemory);
        var swap = a.LimitsMemorySwap == "-1" ? -1 : Bytes(a.LimitsMemorySwap);
        var reservation = Bytes(a.LimitsMemoryReservation);
        if (memory is null || swap is null || reservation is null)
        {
            yield break;
        }

        if (swap != 0 && memory == 0)
        {
            yield return ("limits_memory_swap", "The limits_memory_swap needs limits_memory (Docker limits swap only with memory).");
        }
        else if (swap > 0 && swap < memory)
        {
            yield return ("limits_memory_swap", "The limits_memory_swap is memory plus swap: it must be at least limits_memory (or -1 for unlimited swap).");
        }

        if (reservation > 0 && memory > 0 && reservation > memory)
        {
            yield return ("limits_memory_reservation", "The limits_memory_reservation must not exceed limits_memory.");
        }
    }

    /// <summary>A size as bytes (<c>0</c> is 0); null when it is not a size.</summary>
    public static long? Bytes(string? value)
    {
        if (value is null || !Size().IsMatch(value))
        {
            return value == "0" ? 0 : null;
        }

        var unit = char.ToLowerInvariant(value[^1]);
        var digits = char.IsAsciiDigit(unit) ? value : value[..^1];
        var number = long.Parse(digits, CultureInfo.InvariantCulture);
        return unit switch
        {
            'k' => number * 1024,
            'm' => number * 1024 * 1024,
            'g' => number * 1024 * 1024 * 1024,
            _ => number,
        };
    }

    /// <summary>
    /// <c>connect_to_docker_network</c> adds the <c>slipway</c> network to a container its run options put on
    /// <c>bridge</c>; a container on <c>host</c> or <c>none</c> networking cannot join another network.
    /// </summary>
    public static string? CheckConnectToNetwork(bool connect, string? runOptions) =>
        connect && DockerRunOptions.TryParse(runOptions, out var options, out _) && DockerRunOptions.Network(options) is "host" or "none"
            ? "The connect_to_docker_network cannot be combined with --network host or none in custom_docker_run_options (such a container joins no other network)."
            : null;

    /// <summary>The production container's fixed name, or null when each deployment names its container anew.</summary>
    public static string? FixedContainerName(Application a) =>
        !string.IsNullOrEmpty(a.CustomInternalName) ? a.CustomInternalName : a.IsConsistentContainerNameEnabled ? a.Uuid : null;

    [GeneratedRegex(@"^[0-9]{1,12}[bkmgBKMG]?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Size();

    [GeneratedRegex(@"^[0-9]{1,4}(-[0-9]{1,4})?(,[0-9]{1,4}(-[0-9]{1,4})?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Cpuset();

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerName();
}
