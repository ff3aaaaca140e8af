using System.Collections;
using Slipway.Core.Execution;

namespace Slipway.Infrastructure.Execution;

/// <summary>
/// The environment every command Slipway runs starts with, on both transports, instead of whatever the process
/// (or the SSH login) happens to carry. Locally: the few variables of Slipway's own environment that docker, git
/// and ssh legitimately need from the operator (<see cref="Inherited"/>: where the Docker engine is, proxies, CA
/// certificates). Over SSH: <c>env -i</c> with <see cref="RemotePath"/> and the login's <c>HOME</c>. A command's own
/// variables (build-argument values, git's settings) are added, but never under one of the <see cref="Inherited"/>
/// names: a build's values cannot replace where the docker client looks for programs or which engine it talks to.
/// </summary>
internal static class CommandEnvironment
{
    /// <summary>The PATH commands get over SSH, whatever the login's profile sets.</summary>
    public const string RemotePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// The names taken from Slipway's own environment for local commands, and the only names a command's own
    /// environment may never set (on either transport). Each is also refused as a build-time variable name
    /// (<see cref="Core.Validation.BuildVariableRules"/>), so a refusal here is never silent in practice.
    /// </summary>
    public static readonly IReadOnlySet<string> Inherited = new HashSet<string>(StringComparer.Ordinal)
    {
        "PATH", "HOME", "TMPDIR",
        "DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY", "XDG_RUNTIME_DIR",
        "SSL_CERT_FILE", "SSL_CERT_DIR",
        "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "no_proxy", "all_proxy",
    };

    /// <summary>
    /// The base environment of local commands, from <paramref name="process"/> (Slipway's own environment): only
    /// <see cref="Inherited"/> names, and PATH without relative entries (an empty entry or <c>.</c> would look for
    /// programs in the working directory).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Local(IDictionary process)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in process)
        {
            if (entry.Key is string name && Inherited.Contains(name) && entry.Value is string value)
            {
                environment[name] = value;
            }
        }

        var path = environment.TryGetValue("PATH", out var inheritedPath)
            ? string.Join(':', inheritedPath.Split(':').Where(d => d.StartsWith('/')))
            : string.Empty;
        environment["PATH"] = path.Length > 0 ? path : RemotePath;
        return environment;
    }

    /// <summary>The command's own variables that may be set: every name but the <see cref="Inherited"/> ones.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Own(CommandSpec command) =>
        command.Environment?.Where(v => !Inherited.Contains(v.Key)) ?? [];
}
