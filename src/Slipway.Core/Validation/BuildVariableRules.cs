namespace Slipway.Core.Validation;

/// <summary>
/// Names a build-time variable may not have. Build-time values reach the environment of <c>docker build</c> (that is
/// how <c>--build-arg NAME</c> keeps them off the command line), where the docker client, its plugins and
/// credential helpers, the dynamic loader, and the git and ssh it may start read them: <c>PATH</c> would run a
/// repository's own <c>bin/docker</c> on the server, <c>LD_PRELOAD</c> a library of its choosing, <c>DOCKER_HOST</c>
/// would send the build (and its secrets) elsewhere. Runtime-only variables go into the container's env file and
/// are not affected. Compared case-insensitively; look-alikes such as <c>GIT_SHA</c> or <c>DOCKERFILE_PATH</c> stay allowed.
/// </summary>
public static class BuildVariableRules
{
    /// <summary>
    /// Names refused exactly: the shell, the loader, git, ssh, TLS and proxy settings that change what runs or where it
    /// connects. Proxies are the operator's: Slipway passes its own proxy settings to the docker client (and Docker
    /// hands them to the build as its predefined proxy arguments); a build cannot replace them.
    /// </summary>
    public static readonly IReadOnlySet<string> Names = new SortedSet<string>(StringComparer.Ordinal)
    {
        "PATH", "HOME", "SHELL", "ENV", "BASH_ENV", "IFS", "CDPATH", "TMPDIR",
        "GLIBC_TUNABLES", "GCONV_PATH", "LOCPATH", "NLSPATH", "HOSTALIASES", "RES_OPTIONS", "LOCALDOMAIN",
        "GODEBUG", "SSL_CERT_FILE", "SSL_CERT_DIR",
        "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "FTP_PROXY",
        "GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_EXEC_PATH", "GIT_TEMPLATE_DIR", "GIT_ASKPASS", "GIT_TERMINAL_PROMPT", "GIT_PROXY_COMMAND", "GIT_ALLOW_PROTOCOL",
        "GIT_PROTOCOL_FROM_USER", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM", "GIT_NAMESPACE",
        "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "GIT_PAGER", "GIT_EXTERNAL_DIFF", "GIT_REPLACE_REF_BASE", "GIT_NO_REPLACE_OBJECTS",
        "GIT_CURL_VERBOSE", "GIT_ATTR_SOURCE", "GIT_DEFAULT_HASH", "GIT_NO_LAZY_FETCH", "GIT_PROTOCOL",
    };

    /// <summary>
    /// Prefixes refused: whole families read by one program (<c>LD_*</c> the loader, <c>DOCKER_*</c>/<c>BUILDKIT_*</c>/
    /// <c>BUILDX_*</c> the docker client and its builders, <c>SSH_*</c> ssh and its agent, <c>XDG_*</c> where git
    /// and docker find their configuration, git's <c>GIT_SSH*</c>, <c>GIT_CONFIG*</c>, <c>GIT_TRACE*</c>,
    /// <c>GIT_HTTP_*</c>, <c>GIT_SSL_*</c>, glibc's <c>MALLOC_*</c>).
    /// </summary>
    public static readonly IReadOnlyList<string> Prefixes =
        ["LD_", "DOCKER_", "BUILDKIT_", "BUILDX_", "SSH_", "XDG_", "GIT_SSH", "GIT_CONFIG", "GIT_TRACE", "GIT_HTTP_", "GIT_SSL_", "MALLOC_"];

    /// <summary>True when <paramref name="key"/> may not be a build-time variable's name.</summary>
    public static bool IsRefused(string key)
    {
        var upper = key.ToUpperInvariant();
        return Names.Contains(upper) || Prefixes.Any(p => upper.StartsWith(p, StringComparison.Ordinal));
    }

    /// <summary>Null when <paramref name="key"/> may be a build-time name; else a message saying why and what to do.</summary>
    public static string? CheckBuildName(string key) =>
        IsRefused(key)
            ? $"The name {key} cannot be a build-time variable: the docker client, git, ssh or the dynamic loader read it from the build's environment "
                + $"(refused: PATH, HOME, SHELL, TMPDIR, GODEBUG, SSL_CERT_FILE, HTTP_PROXY and the other proxy names, the GIT_* names git reads such as GIT_DIR and GIT_EXEC_PATH, "
                + $"and names starting with {string.Join(", ", Prefixes.Select(p => p + "*"))}; harmless names such as GIT_SHA are fine). "
                + "Use another name, or make the variable runtime-only (is_buildtime false)."
            : null;
}
