using System.Text.RegularExpressions;
using Slipway.Api.Http;
using Slipway.Core.Applications;
using Slipway.Core.Routing;
using Slipway.Core.Secrets;
using Slipway.Core.Settings;
using Slipway.Core.Validation;

namespace Slipway.Api.Features.Applications;

/// <summary>
/// Validates and applies application fields, for creation and for PATCH alike: only fields that were sent are
/// touched, every value is checked against its allow-list, and all errors are collected for one 422.
/// </summary>
internal sealed partial class ApplicationFields(Application application, IReadOnlySet<string> present, ValidationErrors errors)
{
    private bool Sent(string field) => present.Contains(field);

    private void Apply(string field, string? value, Func<string, string?> check, Action<string> assign)
    {
        if (Sent(field))
        {
            Check(field, value, check, assign);
        }
    }

    private void Apply<T>(string field, T? value, Func<T, string?> check, Action<T> assign)
        where T : struct
    {
        if (!Sent(field))
        {
            return;
        }

        if (value is null)
        {
            errors.Add(field, $"The {field} field must not be null.");
            return;
        }

        Check(field, value.Value, check, assign);
    }

    private void Check<T>(string field, T? value, Func<T, string?> check, Action<T> assign)
    {
        if (value is null)
        {
            errors.Add(field, $"The {field} field must not be null.");
            return;
        }

        var error = check(value);
        if (error is null)
        {
            assign(value);
        }
        else
        {
            errors.Add(field, error);
        }
    }

    /// <summary>Like <see cref="Apply(string, string?, Func{string, string?}, Action{string})"/> but null (or empty) clears the value.</summary>
    private void ApplyOptional(string field, string? value, Func<string, string?> check, Action<string?> assign)
    {
        if (!Sent(field))
        {
            return;
        }

        if (string.IsNullOrEmpty(value))
        {
            assign(null);
            return;
        }

        var error = check(value);
        if (error is null)
        {
            assign(value);
        }
        else
        {
            errors.Add(field, error);
        }
    }

    public void ApplySettings(ApplicationSettingsRequest r, ISecretProtector protector)
    {
        Apply("name", r.Name, v => TextRules.CheckName(v, "name"), v => application.Name = v.Trim());
        ApplyOptional("description", r.Description, TextRules.CheckDescription, v => application.Description = v);
        ApplyOptional("domains", r.Domains, DomainRules.Check, v => application.Fqdn = DomainRules.Join(DomainRules.ParseStored(v)));
        Apply("ports_exposes", r.PortsExposes, PortRules.CheckExposes, v => application.PortsExposes = string.Join(',', PortRules.Split(v)));
        ApplyOptional("ports_mappings", r.PortsMappings, PortRules.CheckMappings, v => application.PortsMappings = v is null ? null : string.Join(',', PortRules.Split(v)));
        Apply("health_check_enabled", r.HealthCheckEnabled, _ => null, v => application.HealthCheckEnabled = v);
        Apply("health_check_path", r.HealthCheckPath, HealthCheckRules.CheckPath, v => application.HealthCheckPath = v);
        ApplyOptional("health_check_port", r.HealthCheckPort, v => PortRules.CheckPort(v, "health_check_port"), v => application.HealthCheckPort = v);
        Apply("health_check_host", r.HealthCheckHost, HealthCheckRules.CheckHost, v => application.HealthCheckHost = v);
        Apply("health_check_method", r.HealthCheckMethod, HealthCheckRules.CheckMethod, v => application.HealthCheckMethod = v);
        Apply("health_check_return_code", r.HealthCheckReturnCode, v => HealthCheckRules.CheckReturnCode(v), v => application.HealthCheckReturnCode = v);
        Apply("health_check_scheme", r.HealthCheckScheme, HealthCheckRules.CheckScheme, v => application.HealthCheckScheme = v);
        ApplyOptional("health_check_response_text", r.HealthCheckResponseText, HealthCheckRules.CheckResponseText, v => application.HealthCheckResponseText = v);
        Apply("health_check_interval", r.HealthCheckInterval, v => HealthCheckRules.CheckSeconds(v, "health_check_interval", 1, 3600), v => application.HealthCheckInterval = v);
        Apply("health_check_timeout", r.HealthCheckTimeout, v => HealthCheckRules.CheckSeconds(v, "health_check_timeout", 1, 3600), v => application.HealthCheckTimeout = v);
        Apply("health_check_retries", r.HealthCheckRetries, v => HealthCheckRules.CheckSeconds(v, "health_check_retries", 1, 1000), v => application.HealthCheckRetries = v);
        Apply("health_check_start_period", r.HealthCheckStartPeriod, v => HealthCheckRules.CheckSeconds(v, "health_check_start_period", 0, 3600), v => application.HealthCheckStartPeriod = v);
        Apply("limits_memory", r.LimitsMemory, CheckMemory, v => application.LimitsMemory = v);
        Apply("limits_cpus", r.LimitsCpus, CheckCpus, v => application.LimitsCpus = v);
        ApplyOptional("custom_docker_run_options", r.CustomDockerRunOptions, CheckRunOptions, v => application.CustomDockerRunOptions = v);
        ApplyOptional("manual_webhook_secret_github", r.ManualWebhookSecretGithub, CheckSecret, v => application.ProtectedWebhookSecretGithub = Protect(v, protector));
        ApplyOptional("manual_webhook_secret_gitlab", r.ManualWebhookSecretGitlab, CheckSecret, v => application.ProtectedWebhookSecretGitlab = Protect(v, protector));
        ApplyOptional("manual_webhook_secret_bitbucket", r.ManualWebhookSecretBitbucket, CheckSecret, v => application.ProtectedWebhookSecretBitbucket = Protect(v, protector));
        ApplyOptional("manual_webhook_secret_gitea", r.ManualWebhookSecretGitea, CheckSecret, v => application.ProtectedWebhookSecretGitea = Protect(v, protector));
        Apply("is_preview_deployments_enabled", r.IsPreviewDeploymentsEnabled, _ => null, v => application.IsPreviewDeploymentsEnabled = v);
        Apply("is_pr_deployments_public_enabled", r.IsPrDeploymentsPublicEnabled, _ => null, v => application.IsPrDeploymentsPublicEnabled = v);
        Apply("preview_url_template", r.PreviewUrlTemplate, CheckPreviewTemplate, v => application.PreviewUrlTemplate = v);
        Apply("preview_deployments_limit", r.PreviewDeploymentsLimit, v => HealthCheckRules.CheckSeconds(v, "preview_deployments_limit", 1, 100), v => application.PreviewDeploymentsLimit = v);
        Apply("docker_images_to_keep", r.DockerImagesToKeep, v => HealthCheckRules.CheckSeconds(v, "docker_images_to_keep", 1, 50), v => application.DockerImagesToKeep = v);
        Apply("stop_grace_period", r.StopGracePeriod, v => HealthCheckRules.CheckSeconds(v, "stop_grace_period", 1, 3600), v => application.StopGracePeriod = v);
    }

    /// <summary>Coolify's routing fields; the basic-auth password is stored only as its bcrypt hash.</summary>
    public void ApplyRouting(ApplicationSettingsRequest r)
    {
        Apply("redirect", r.Redirect, RedirectModes.Check, v => application.Redirect = v);
        Apply("is_force_https_enabled", r.IsForceHttpsEnabled, _ => null, v => application.IsForceHttpsEnabled = v);
        Apply("is_gzip_enabled", r.IsGzipEnabled, _ => null, v => application.IsGzipEnabled = v);
        Apply("is_stripprefix_enabled", r.IsStripprefixEnabled, _ => null, v => application.IsStripprefixEnabled = v);
        Apply("is_http_basic_auth_enabled", r.IsHttpBasicAuthEnabled, _ => null, v => application.IsHttpBasicAuthEnabled = v);
        ApplyOptional("http_basic_auth_username", r.HttpBasicAuthUsername, BasicAuthRules.CheckUsername, v => application.HttpBasicAuthUsername = v);
        ApplyOptional("http_basic_auth_password", r.HttpBasicAuthPassword, BasicAuthRules.CheckPassword,
            v => application.HttpBasicAuthPasswordHash = v is null ? null : BasicAuthRules.Hash(v));
        Apply("force_domain_override", r.ForceDomainOverride, _ => null, _ => { });
        Apply("autogenerate_domain", r.AutogenerateDomain, _ => null, _ => { });
        if (application.IsHttpBasicAuthEnabled && !errors.Has("http_basic_auth_username") && !errors.Has("http_basic_auth_password"))
        {
            if (application.HttpBasicAuthUsername is null)
            {
                errors.Add("http_basic_auth_username", "Basic authentication needs http_basic_auth_username.");
            }

            if (application.HttpBasicAuthPasswordHash is null)
            {
                errors.Add("http_basic_auth_password", "Basic authentication needs http_basic_auth_password.");
            }
        }
    }

    public void ApplyGit(
        string? repository, string? branch, string? commit, string? baseDirectory, string? dockerfileLocation, string? staticImage,
        string? watchPaths, bool? autoDeploy, bool? submodules, bool? shallow, InstanceSettings settings)
    {
        Apply("git_repository", repository, v => RepositoryRules.Check(v, settings.AllowLocalRepositories), v => application.GitRepository = v);
        Apply("git_branch", branch, GitRules.CheckBranch, v => application.GitBranch = v);
        ApplyOptional("git_commit_sha", commit, GitRules.CheckCommit, v => application.GitCommitSha = v ?? "HEAD");
        Apply("base_directory", baseDirectory, v => PathRules.Check(v, "base_directory"), v => application.BaseDirectory = v);
        Apply("dockerfile_location", dockerfileLocation, v => PathRules.Check(v, "dockerfile_location"), v => application.DockerfileLocation = v);
        Apply("static_image", staticImage, DockerImageRules.CheckReference, v => application.StaticImage = v);
        ApplyOptional("watch_paths", watchPaths, CheckWatchPaths, v => application.WatchPaths = v);
        Apply("is_auto_deploy_enabled", autoDeploy, _ => null, v => application.IsAutoDeployEnabled = v);
        Apply("is_git_submodules_enabled", submodules, _ => null, v => application.IsGitSubmodulesEnabled = v);
        Apply("is_git_shallow_clone_enabled", shallow, _ => null, v => application.IsGitShallowCloneEnabled = v);
    }

    public void ApplyStaticServer(string? server) =>
        Apply("static_server", server, v => StaticServer.All.Contains(v, StringComparer.Ordinal) ? null : $"The static_server must be one of {string.Join(", ", StaticServer.All)}.", v => application.StaticServer = v);

    public void ApplyBuildPack(string? buildPack, IReadOnlyList<string> allowed)
    {
        Apply("build_pack", buildPack, v => CheckBuildPack(v, allowed), v => application.BuildPack = v);
    }

    public void ApplyDisableBuildCache(bool? value) =>
        Apply("disable_build_cache", value, _ => null, v => application.DisableBuildCache = v);

    public void ApplyInlineDockerfile(string? dockerfile) =>
        Apply("dockerfile", dockerfile, CheckDockerfile, v => application.Dockerfile = v);

    public void ApplyImage(string? name, string? tag)
    {
        Apply("docker_registry_image_name", name, DockerImageRules.CheckName, v => application.DockerRegistryImageName = v);
        ApplyOptional("docker_registry_image_tag", tag, DockerImageRules.CheckTag, v => application.DockerRegistryImageTag = v ?? "latest");
    }

    public static string? CheckBuildPack(string value, IReadOnlyList<string> allowed)
    {
        if (allowed.Contains(value, StringComparer.Ordinal))
        {
            return null;
        }

        return BuildPack.Unsupported.Contains(value, StringComparer.Ordinal)
            ? $"The {value} build pack is not supported by Slipway; use {string.Join(", ", allowed)}."
            : $"The build_pack must be one of {string.Join(", ", allowed)}.";
    }

    private static string? Protect(string? value, ISecretProtector protector) => value is null ? null : protector.Protect(value);

    private static string? CheckSecret(string value) =>
        value.Length <= 255 && !value.Any(char.IsControl) ? null : "The webhook secret must be at most 255 characters without control characters.";

    private static string? CheckMemory(string value) =>
        value == "0" || MemoryLimit().IsMatch(value) ? null : "The limits_memory must be 0 (no limit) or a size such as 512m or 2g.";

    private static string? CheckCpus(string value) =>
        value == "0" || CpuLimit().IsMatch(value) ? null : "The limits_cpus must be 0 (no limit) or a number of CPUs such as 0.5 or 2.";

    private static string? CheckRunOptions(string value) =>
        DockerRunOptions.TryParse(value, out _, out var error) ? null : error;

    private static string? CheckDockerfile(string value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= 64 * 1024 && !value.Contains('\0', StringComparison.Ordinal)
            ? null
            : "The dockerfile must be a non-empty Dockerfile of at most 64 KB.";

    private static string? CheckPreviewTemplate(string value) =>
        value.Length <= 255 && PreviewTemplate().IsMatch(value)
            ? null
            : "The preview_url_template may contain only {{pr_id}}, {{domain}}, {{random}}, letters, digits, '.' and '-'.";

    private static string? CheckWatchPaths(string value) =>
        value.Length <= 4096 && value.Split('\n').All(line => WatchPath().IsMatch(line.TrimEnd('\r')))
            ? null
            : "The watch_paths must be one glob per line (letters, digits and . _ - / * ? [ ] ! { } ,).";

    [GeneratedRegex(@"^[0-9]{1,12}[bkmgBKMG]?\z", RegexOptions.CultureInvariant)]
    private static partial Regex MemoryLimit();

    [GeneratedRegex(@"^[0-9]{1,4}(\.[0-9]{1,3})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex CpuLimit();

    [GeneratedRegex(@"^([A-Za-z0-9.-]|\{\{(pr_id|domain|random)\}\})+\z", RegexOptions.CultureInvariant)]
    private static partial Regex PreviewTemplate();

    [GeneratedRegex(@"^[A-Za-z0-9._/*?\[\]!{},@+ -]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex WatchPath();
}
