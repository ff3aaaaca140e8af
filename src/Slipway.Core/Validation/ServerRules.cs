namespace Slipway.Core.Validation;

/// <summary>SSH port and the per-server deployment limits that can be changed through the API.</summary>
public static class ServerRules
{
    public const int MaxConcurrentBuilds = 100;
    public const int MaxDeploymentQueueLimit = 1000;
    public const int MinDynamicTimeout = 60;
    public const int MaxDynamicTimeout = 86400;
    public const int MinDeploymentLogMaxLines = 1_000;
    public const int MaxDeploymentLogMaxLines = 100_000_000;
    public const long MinDeploymentLogMaxBytes = 1L * 1024 * 1024;
    public const long MaxDeploymentLogMaxBytes = 64L * 1024 * 1024 * 1024;
    public const int MinDeploymentLogRetention = 1;
    public const int MaxDeploymentLogRetention = 100_000;

    public static string? CheckPort(int? value) => CheckRange(value, "port", 1, 65535);

    public static string? CheckConcurrentBuilds(int? value) => CheckRange(value, "concurrent_builds", 1, MaxConcurrentBuilds);

    public static string? CheckDeploymentQueueLimit(int? value) => CheckRange(value, "deployment_queue_limit", 1, MaxDeploymentQueueLimit);

    /// <summary>Seconds; at least a minute so a deployment can do anything before it is timed out.</summary>
    public static string? CheckDynamicTimeout(int? value) => CheckRange(value, "dynamic_timeout", MinDynamicTimeout, MaxDynamicTimeout);

    /// <summary>Lines of a deployment's log; at least enough for a failing build to say why.</summary>
    public static string? CheckDeploymentLogMaxLines(int? value) =>
        CheckRange(value, "deployment_log_max_lines", MinDeploymentLogMaxLines, MaxDeploymentLogMaxLines);

    /// <summary>Bytes of a deployment's log: from 1 MiB to 64 GiB.</summary>
    public static string? CheckDeploymentLogMaxBytes(long? value) =>
        value is null ? "The deployment_log_max_bytes field must be an integer."
        : value < MinDeploymentLogMaxBytes || value > MaxDeploymentLogMaxBytes
            ? $"The deployment_log_max_bytes must be between {MinDeploymentLogMaxBytes} (1 MiB) and {MaxDeploymentLogMaxBytes} (64 GiB)."
        : null;

    /// <summary>
    /// Deployments per application whose logs are kept: at least the newest one (no 0, which could read as "keep
    /// none" or "keep all"); 100,000, the most, keeps everything an application is likely ever to have.
    /// </summary>
    public static string? CheckDeploymentLogRetention(int? value) =>
        CheckRange(value, "deployment_log_retention", MinDeploymentLogRetention, MaxDeploymentLogRetention);

    /// <summary>Null is an error: a field that is sent must hold a number (an absent one is not checked).</summary>
    private static string? CheckRange(int? value, string field, int min, int max) =>
        value is null ? $"The {field} field must be an integer."
        : value < min || value > max ? $"The {field} must be between {min} and {max}."
        : null;
}
