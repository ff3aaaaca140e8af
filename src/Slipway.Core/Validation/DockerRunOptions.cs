using System.Text.RegularExpressions;

namespace Slipway.Core.Validation;

/// <summary>
/// Coolify's <c>custom_docker_run_options</c>, accepted for a validated subset of <c>docker run</c> options and
/// parsed into separate arguments — never handed to a shell. Any other option is refused by name. The subset keeps
/// only what cannot reach the host: no mounts, devices, host namespaces (<c>--pid</c>, <c>--ipc</c>, <c>--uts</c>,
/// <c>--userns</c>, <c>--cgroupns</c>), <c>--privileged</c>, <c>--sysctl</c> or security profiles; capabilities only
/// from <see cref="AddableCapabilities"/>; <c>--network host</c> only on servers that allow it
/// (<see cref="CheckHostNetwork"/>).
/// </summary>
public static partial class DockerRunOptions
{
    public const string HostNetwork = "host";

    /// <summary>The user-defined bridge network Slipway creates on every server; applications without host networking join it.</summary>
    public const string SlipwayNetworkName = "slipway";

    /// <summary>
    /// What <c>--cap-add</c> accepts: exactly Docker's default capability set. Adding one back (typically after
    /// <c>--cap-drop ALL</c>) can never give a container more than a plain <c>docker run</c> has. Everything beyond
    /// it reaches the host or the kernel: SYS_ADMIN (mounts, namespaces), SYS_MODULE, SYS_PTRACE, SYS_RAWIO,
    /// DAC_READ_SEARCH (open_by_handle_at: the host's files), NET_ADMIN, BPF, PERFMON, SYS_BOOT, SYS_TIME, ….
    /// </summary>
    public static readonly IReadOnlySet<string> AddableCapabilities = new SortedSet<string>(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
        "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    /// <summary>
    /// The networks an application may name. Docker also resolves a network by any unique prefix of its id, so an
    /// arbitrary name could be the host network in disguise (<c>--network 8e9e</c>); only these names are taken.
    /// </summary>
    public static readonly IReadOnlyList<string> Networks = [HostNetwork, SlipwayNetworkName, "none", BridgeNetwork];

    private const string BridgeNetwork = "bridge";

    /// <summary>The one <c>--security-opt</c> allowed: it only takes privileges away.</summary>
    private static readonly string[] SecurityOptions = ["no-new-privileges", "no-new-privileges:true", "no-new-privileges=true"];

    /// <summary>What each remaining option's value may be, for its refusal (the patterns below, in words).</summary>
    private static readonly Dictionary<string, string> ValueForms = new(StringComparer.Ordinal)
    {
        ["--cap-drop"] = "a capability name such as NET_RAW (with or without CAP_), or ALL",
        ["--ulimit"] = "name=soft[:hard] with a lower-case name and integers, such as nofile=1024:2048",
        ["--memory"] = "a size: up to 15 digits with an optional unit b, k, m or g, such as 512m",
        ["--memory-swap"] = "a size: up to 15 digits with an optional unit b, k, m or g, such as 1g, or -1 (unlimited)",
        ["--memory-reservation"] = "a size: up to 15 digits with an optional unit b, k, m or g, such as 256m",
        ["--shm-size"] = "a size: up to 15 digits with an optional unit b, k, m or g, such as 64m",
        ["--cpus"] = "a number of CPUs with up to 3 decimals, such as 1.5",
        ["--pids-limit"] = "an integer of up to 9 digits, such as 100 (-1 for no limit)",
    };

    private static readonly Dictionary<string, Option> Allowed = new(StringComparer.Ordinal)
    {
        ["--network"] = new(v => Networks.Contains(v, StringComparer.Ordinal) ? v : null, Once: true),
        ["--cap-add"] = new(AddableCapability),
        ["--cap-drop"] = new(v => Capability().IsMatch(v) ? Normalize(v) : null),
        ["--security-opt"] = new(v => SecurityOptions.Contains(v, StringComparer.Ordinal) ? v : null),
        ["--ulimit"] = new(v => Ulimit().IsMatch(v) ? v : null),
        ["--memory"] = new(v => Size().IsMatch(v) ? v : null),
        ["--memory-swap"] = new(v => v == "-1" || Size().IsMatch(v) ? v : null),
        ["--memory-reservation"] = new(v => Size().IsMatch(v) ? v : null),
        ["--shm-size"] = new(v => Size().IsMatch(v) ? v : null),
        ["--cpus"] = new(v => Cpus().IsMatch(v) ? v : null),
        ["--pids-limit"] = new(v => PidsLimit().IsMatch(v) ? v : null),
    };

    public static IReadOnlyCollection<string> Supported => Allowed.Keys;

    /// <summary>Parses the options; on failure <paramref name="error"/> names the offending option and says what is allowed.</summary>
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
            error = "The custom_docker_run_options are too long: at most 1024 characters.";
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

            if (!Allowed.TryGetValue(name, out var option))
            {
                error = $"The docker run option '{Shorten(name)}' is not supported; supported: {string.Join(", ", Allowed.Keys)}. "
                    + "Options that reach the host (--privileged, --pid/--ipc/--uts/--userns/--cgroupns, -v/--volume, --mount, --device, --sysctl) are refused.";
                return false;
            }

            var accepted = optionValue is null ? null : option.Check(optionValue);
            if (accepted is null)
            {
                error = InvalidValue(name);
                return false;
            }

            if (option.Once && parsed.Any(p => p.Name == name))
            {
                error = $"The docker run option {name} may be given once.";
                return false;
            }

            parsed.Add(new RunOption(name, accepted));
        }

        return true;
    }

    /// <summary>
    /// <c>--network host</c> shares the server's network namespace (its loopback services included), so it needs the
    /// server's <c>allow_host_network</c>. Null when the options are fine for that server (or do not parse; see <see cref="TryParse"/>).
    /// </summary>
    public static string? CheckHostNetwork(string? value, bool serverAllowsHostNetwork) =>
        !serverAllowsHostNetwork && TryParse(value, out var options, out _) && UsesHostNetwork(options)
            ? "The docker run option --network host needs a server with allow_host_network (PATCH /api/v1/servers/{uuid}); "
                + "without it the application joins the server's 'slipway' network and publishes its ports_mappings."
            : null;

    /// <summary>
    /// <c>--network bridge</c> needs Docker's default bridge network, which an engine started with <c>--bridge=none</c>
    /// does not have: refused where the server's probe recorded that (unknown until the server is probed), instead of
    /// failing at <c>docker run</c> after the build.
    /// </summary>
    public static string? CheckBridgeNetwork(string? value, bool? serverHasDefaultBridge) =>
        serverHasDefaultBridge == false && TryParse(value, out var options, out _) && Network(options) == BridgeNetwork
            ? "The docker run option --network bridge needs Docker's default bridge network, which this server's Docker does not have "
                + "(its engine runs without one); leave --network out and the application joins the server's 'slipway' network."
            : null;

    public static bool UsesHostNetwork(IEnumerable<RunOption> options) => options.Any(o => o.Name == "--network" && o.Value == HostNetwork);

    /// <summary>The network named by <c>--network</c>, if any.</summary>
    public static string? Network(IEnumerable<RunOption> options) => options.FirstOrDefault(o => o.Name == "--network")?.Value;

    private static string InvalidValue(string name) => name switch
    {
        "--cap-add" => $"The value of the docker run option --cap-add is not allowed; it may add back only Docker's default capabilities: {string.Join(", ", AddableCapabilities)}.",
        "--security-opt" => "The value of the docker run option --security-opt is not allowed; only no-new-privileges is.",
        "--network" => $"The value of the docker run option --network must be one of {string.Join(", ", Networks)}.",
        _ => $"The value of the docker run option {name} is not valid; it takes {ValueForms[name]}.",
    };


    private static string? AddableCapability(string value)
    {
        if (!Capability().IsMatch(value))
        {
            return null;
        }

        var capability = Normalize(value);
        return AddableCapabilities.Contains(capability) ? capability : null;
    }

    /// <summary>Docker reads capability names case-insensitively, with or without <c>CAP_</c>; Slipway passes the form it checked.</summary>
    private static string Normalize(string capability)
    {
        var upper = capability.ToUpperInvariant();
        return upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper[4..] : upper;
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;

    /// <summary>Checks a value and returns the form to pass to Docker, or null when it is refused.</summary>
    private sealed record Option(Func<string, string?> Check, bool Once = false);

    [GeneratedRegex(@"^([Cc][Aa][Pp]_)?[A-Za-z_]{2,32}\z|^ALL\z", RegexOptions.CultureInvariant)]
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
