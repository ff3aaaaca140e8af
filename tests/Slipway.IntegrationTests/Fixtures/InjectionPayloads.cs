using Slipway.Core.Applications;

namespace Slipway.IntegrationTests.Fixtures;

/// <summary>Which kind of application carries a field, so the engine reads it: a git-built static site or a Docker image.</summary>
public enum InjectionTarget
{
    GitApplication,
    ImageApplication,
    BuildVariable,
}

/// <summary>
/// A validated field: its API name, a valid value to prefix payloads with, where it is stored (to write a payload
/// straight into the database) and a word the engine's refusal names it by.
/// </summary>
/// A list field (<c>TrimsWhitespace</c>) trims each entry, so whitespace around a valid value is not a payload there.
/// A field whose wire form is an encoding of the stored value (<c>custom_labels</c>: base64) has <c>Wire</c> to encode payloads.
public sealed record InjectionField(
    string Name, string Valid, InjectionTarget Target, Action<Application, string> Store, string LogWord, bool TrimsWhitespace = false, Func<string, string>? Wire = null)
{
    /// <summary>The value as the API is sent it.</summary>
    public string OnTheWire(string value) => Wire is null ? value : Wire(value);

    public override string ToString() => Name;
}

/// <summary>
/// The bad-input corpus: Coolify's (section 8 of the deployments reference: git refs, paths, health-check fields,
/// domains, image references, run options), shell-breaking strings from <see cref="NastyStrings"/>, and generic
/// breakouts. Every payload that could run a command tries to create a marker file, so a test can prove it never ran.
/// </summary>
internal static class InjectionPayloads
{
    public static readonly InjectionField[] Fields =
    [
        new("git_repository", "https://example.com/org/repo.git", InjectionTarget.GitApplication, (a, v) => a.GitRepository = v, "git repository"),
        new("git_branch", "main", InjectionTarget.GitApplication, (a, v) => a.GitBranch = v, "branch"),
        new("git_commit_sha", "HEAD", InjectionTarget.GitApplication, (a, v) => a.GitCommitSha = v, "commit"),
        new("base_directory", "/src", InjectionTarget.GitApplication, (a, v) => a.BaseDirectory = v, "base_directory"),
        new("dockerfile_location", "/Dockerfile", InjectionTarget.GitApplication, (a, v) => a.DockerfileLocation = v, "dockerfile_location"),
        new("static_image", "nginx:alpine", InjectionTarget.GitApplication, (a, v) => a.StaticImage = v, "The "),
        new("docker_registry_image_name", "nginx", InjectionTarget.ImageApplication, (a, v) => a.DockerRegistryImageName = v, "image name"),
        new("docker_registry_image_tag", "latest", InjectionTarget.ImageApplication, (a, v) => a.DockerRegistryImageTag = v, "tag"),
        new("health_check_path", "/health", InjectionTarget.GitApplication, (a, v) => a.HealthCheckPath = v, "health_check_path"),
        new("health_check_host", "localhost", InjectionTarget.GitApplication, (a, v) => a.HealthCheckHost = v, "health_check_host"),
        new("health_check_method", "GET", InjectionTarget.GitApplication, (a, v) => a.HealthCheckMethod = v, "health_check_method"),
        new("health_check_scheme", "http", InjectionTarget.GitApplication, (a, v) => a.HealthCheckScheme = v, "health_check_scheme"),
        new("health_check_port", "8080", InjectionTarget.GitApplication, (a, v) => a.HealthCheckPort = v, "health_check_port"),
        new("ports_exposes", "3000", InjectionTarget.GitApplication, (a, v) => a.PortsExposes = v, "ports_exposes", TrimsWhitespace: true),
        new("ports_mappings", "8080:80", InjectionTarget.GitApplication, (a, v) => a.PortsMappings = v, "ports_mappings", TrimsWhitespace: true),
        new("domains", "http://example.com", InjectionTarget.GitApplication, (a, v) => a.Fqdn = v, "domain", TrimsWhitespace: true),
        new("custom_docker_run_options", "--memory 256m", InjectionTarget.GitApplication, (a, v) => a.CustomDockerRunOptions = v, "docker run option", TrimsWhitespace: true),
        new("key", "GREETING", InjectionTarget.BuildVariable, (_, _) => { }, "variable name"),
        new("custom_internal_name", "api", InjectionTarget.GitApplication, (a, v) => a.CustomInternalName = v, "custom_internal_name"),
        new("limits_cpuset", "0", InjectionTarget.GitApplication, (a, v) => a.LimitsCpuset = v, "limits_cpuset"),
        new("pre_deployment_command_container", "web", InjectionTarget.GitApplication, (a, v) => a.PreDeploymentCommandContainer = v, "pre_deployment_command_container"),
        new("post_deployment_command_container", "web", InjectionTarget.GitApplication, (a, v) => a.PostDeploymentCommandContainer = v, "post_deployment_command_container"),
        new("dockerfile_target_build", "production", InjectionTarget.GitApplication, (a, v) => a.DockerfileTargetBuild = v, "dockerfile_target_build"),
        new("publish_directory", "/dist", InjectionTarget.GitApplication, (a, v) => a.PublishDirectory = v, "publish_directory"),
    ];

    /// <summary>
    /// Fields whose allowed characters are wider than a name's (a command run in the container, label values passed
    /// as one argument each), so the generic breakouts' harmless forms would be valid there: each gets its own hostile values.
    /// </summary>
    private static readonly InjectionField HealthCheckCommand =
        new("health_check_command", "pg_isready", InjectionTarget.GitApplication, (a, v) => (a.HealthCheckType, a.HealthCheckCommand) = ("cmd", v), "health_check_command");

    private static readonly InjectionField CustomLabels =
        new("custom_labels", "team=web", InjectionTarget.GitApplication, (a, v) => a.CustomLabels = v, "custom_label",
            Wire: v => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(v)));

    /// <summary>
    /// The release commands are the user's own shell text for the container's <c>sh -c</c>: quotes, pipes and <c>$</c> are
    /// theirs to use there. What could break out of the one argument (control characters, an empty command, an over-long
    /// one) is refused; newlines are flattened at the API, and refused when stored (see ReleaseCommandPipelineTests).
    /// </summary>
    private static readonly InjectionField PreDeploymentCommand =
        new("pre_deployment_command", "php artisan migrate", InjectionTarget.GitApplication, (a, v) => a.PreDeploymentCommand = v, "pre_deployment_command");

    private static readonly InjectionField PostDeploymentCommand =
        new("post_deployment_command", "./notify", InjectionTarget.GitApplication, (a, v) => a.PostDeploymentCommand = v, "post_deployment_command");

    private static readonly InjectionField MemorySwap =
        new("limits_memory_swap", "0", InjectionTarget.GitApplication, (a, v) => a.LimitsMemorySwap = v, "limits_memory_swap");

    private static readonly InjectionField MemoryReservation =
        new("limits_memory_reservation", "0", InjectionTarget.GitApplication, (a, v) => a.LimitsMemoryReservation = v, "limits_memory_reservation");

    /// <summary>A build-time variable's name, refused by what reads it rather than by its characters.</summary>
    public static readonly InjectionField BuildTimeKey = new("key", "GREETING", InjectionTarget.BuildVariable, (_, _) => { }, "cannot be a build-time variable");

    /// <summary>
    /// Well-formed values that escape the container or steer the build (issue 10): run options that reach the host
    /// (the localhost server does not allow host networking, so <c>--network host</c> is one of them), and build-time
    /// names the docker client, git, ssh or the loader read. Each must be a 422 naming the field at the API, and fail
    /// the settings check before any command when written to the database.
    /// </summary>
    public static readonly (InjectionField Field, string Value)[] Escapes =
    [
        .. new[]
        {
            "--privileged", "--pid host", "--pid=host", "-v /:/host", "--volume=/:/host", "--mount type=bind,source=/,target=/host",
            "--device /dev/sda", "--security-opt apparmor=unconfined", "--security-opt seccomp=unconfined", "--security-opt label=disable",
            "--sysctl kernel.core_pattern=|/tmp/x", "--userns host", "--cgroupns host", "--ipc host", "--uts host", "--net host",
            "--network host", "--network=host", "--network container:other", "--network 8e9e", "--volumes-from other",
            "--cap-add ALL", "--cap-add=all", "--cap-add SYS_ADMIN", "--cap-add CAP_SYS_ADMIN", "--cap-add sys_module", "--cap-add SYS_PTRACE",
            "--cap-add DAC_READ_SEARCH", "--cap-add NET_ADMIN", "--cap-add BPF", "--cap-add PERFMON", "--cap-add SYS_RAWIO",
            "--cap-drop ALL --cap-add SYS_ADMIN",
        }.Select(v => (Fields.Single(f => f.Name == "custom_docker_run_options"), v)),
        .. new[]
        {
            "PATH", "HOME", "LD_PRELOAD", "ld_preload", "LD_LIBRARY_PATH", "DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_BUILDKIT", "BUILDKIT_HOST",
            "GIT_DIR", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_EXEC_PATH", "GIT_CONFIG_GLOBAL", "SSH_AUTH_SOCK", "XDG_CONFIG_HOME", "GLIBC_TUNABLES",
        }.Select(v => (BuildTimeKey, v)),
        .. new[]
        {
            "curl localhost | sh", "echo ok\ntouch /tmp/slipway-pwned", "true;touch /tmp/slipway-pwned", "true && touch /tmp/slipway-pwned",
            "true || touch /tmp/slipway-pwned", "$(touch /tmp/slipway-pwned)", "`touch /tmp/slipway-pwned`", "true > /tmp/slipway-pwned",
            "echo 'x'", "echo \"x\"", "true\r", new string('a', 1001), " ",
        }.Select(v => (HealthCheckCommand, v)),
        .. new[]
        {
            "--privileged", "team=web\n--privileged", "team=web\n--privileged=true", "slipway.managed=false", "team=web\nslipway.application=other",
            "Slipway.Deployment=x", "slipway=x", "com.docker.compose.project=x", "io.docker.x=1", "$(touch /tmp/slipway-pwned)=x",
            "team=a\u001bb", "team=web\nteam=ops", "a b=c", "-l=x", string.Join('\n', Enumerable.Range(0, 101).Select(i => $"k{i}=v")), "team=" + new string('x', 2000),
        }.Select(v => (CustomLabels, v)),
        .. new[] { "1g; touch /tmp/slipway-pwned", "--privileged", "-2", "1g\n", "$(id)" }.Select(v => (MemorySwap, v)),
        .. new[] { "true\u0000touch /tmp/slipway-pwned", "echo \u001b]0;x\u0007", "true\ttouch /tmp/slipway-pwned", " ", "\u0085touch /tmp/slipway-pwned", new string('a', 4097) }
            .SelectMany(v => new[] { (PreDeploymentCommand, v), (PostDeploymentCommand, v) }),
        .. new[] { "256m --privileged", "-1", "1t", "`id`" }.Select(v => (MemoryReservation, v)),
    ];

    /// <summary>Coolify's valid-but-unusual examples, by field: each must be accepted.</summary>
    public static readonly (string Field, string Value)[] Unusual =
    [
        ("dockerfile_location", "/packages/@intlayer/mcp/Dockerfile"),
        ("dockerfile_location", "/build~v1/c++/Dockerfile"),
        ("base_directory", "/packages/@intlayer/mcp"),
        ("base_directory", "/build~v1/c++"),
        ("git_branch", "feature/my-branch"),
        ("git_branch", "v1.2.3"),
        ("git_commit_sha", "v1.2.3"),
    ];

    /// <summary>Every payload for one field, bare and after a valid value; each (when it could run anything) creates <paramref name="marker"/>.</summary>
    public static IReadOnlyList<string> For(InjectionField field, string marker) =>
        Applicable(field, [.. Breakouts(marker), .. Coolify(marker), .. NastyStrings.Tricky.Where(IsShellSignificant)], p => [p, field.Valid + p]);

    /// <summary>
    /// Every breakout technique after a valid value, the form most likely to slip through a loose pattern: what the
    /// engine is given. Each value costs a deployment, so Coolify's corpus and <see cref="NastyStrings"/> (the same
    /// techniques in field-specific shapes, through the same rules) stay API-only.
    /// </summary>
    public static IReadOnlyList<string> Appended(InjectionField field, string marker) =>
        Applicable(field, Breakouts(marker), p => [field.Valid + p]);

    /// <summary>
    /// The values to try. A list field trims each entry, so a value whose only shell-significant characters are
    /// surrounding whitespace is a valid value there, not a payload.
    /// </summary>
    private static List<string> Applicable(InjectionField field, IEnumerable<string> payloads, Func<string, string[]> forms) =>
        payloads.SelectMany(forms)
            .Where(v => !(field.TrimsWhitespace && v != v.Trim() && (v.Trim() == field.Valid || !IsShellSignificant(v.Trim()))))
            .Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Substitution, separators, quotes, pipes, redirection, option injection, bare whitespace.</summary>
    private static string[] Breakouts(string m) =>
    [
        $"$(touch {m})", $"`touch {m}`", $";touch {m}", $"; touch {m} #", $"'; touch {m}; '", $"\"; touch {m}; \"",
        $"|touch {m}", $"&touch {m}", $"&&touch {m}", $"||touch {m}", $"\ntouch {m}", $"\rtouch {m}", $"\n{m}", $">{m}",
        $";touch${{IFS}}{m}", $"--upload-pack=touch {m}", $"-oProxyCommand=touch {m}", "\n", "\t", " ",
    ];

    /// <summary>Coolify's corpus (section 8 of the deployments reference), with its commands turned into the marker.</summary>
    private static string[] Coolify(string m) =>
    [
        $"HEAD'; touch {m}; #", $"abc123; touch {m}", $"abc | touch {m}", $"abc & touch {m}", "abc #", $"abc\ntouch {m}",
        $"abc > {m}", $"/Dockerfile; touch {m}", $"/Dockerfile$(touch {m})", $"/Dockerfile && touch {m}", "/../../../etc/passwd",
        $"git@example.com:org/repo.git'; touch {m}; #", $"main`touch {m}`", $"HEAD$(touch {m})", $"http://example.com/path;touch {m}",
        $"http://$(touch {m}).example.com", $"production; touch {m}", $"/src; touch {m}", $"docker compose up; touch {m}",
        $"localhost; touch {m}", $"GET; touch {m}", $"/health$(touch {m})", "curl localhost | sh", $"echo ok\ntouch {m}",
    ];

    /// <summary>True for strings a shell would treat specially: quotes, expansions, separators, globs, whitespace, controls.</summary>
    private static bool IsShellSignificant(string value) =>
        value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || "'\"\\$`;|&<>*?[]{}()!#".Contains(c, StringComparison.Ordinal));
}
