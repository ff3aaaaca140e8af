using Slipway.Api.Http;
using Slipway.Core.Proxy;
using Slipway.Core.Validation;

namespace Slipway.Api.Features.Servers;

/// <summary>Body of <c>PATCH /servers/{uuid}</c>: only the fields sent change; a null description clears it.</summary>
public sealed record UpdateServerRequest
{
    public static readonly IReadOnlySet<string> Unsupported = new HashSet<string>(StringComparer.Ordinal)
    {
        "is_build_server", "server_disk_usage_notification_threshold", "server_disk_usage_check_frequency", "connection_timeout",
    };

    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? Ip { get; init; }
    public int? Port { get; init; }
    public string? User { get; init; }
    public string? PrivateKeyUuid { get; init; }
    public bool? InstantValidate { get; init; }
    public int? ConcurrentBuilds { get; init; }
    public int? DeploymentQueueLimit { get; init; }
    public int? DynamicTimeout { get; init; }
    public string? ProxyType { get; init; }

    public ValidationErrors Validate(BodyResult<UpdateServerRequest> body)
    {
        var errors = new ValidationErrors().AddIf("description", TextRules.CheckDescription(Description));
        Check(body, errors, "name", () => TextRules.CheckName(Name, "name"));
        Check(body, errors, "ip", () => TextRules.CheckHost(Ip));
        Check(body, errors, "port", () => ServerRules.CheckPort(Port));
        Check(body, errors, "user", () => TextRules.CheckSshUser(User));
        Check(body, errors, "private_key_uuid", () => string.IsNullOrEmpty(PrivateKeyUuid) ? "The private_key_uuid field is required." : null);
        Check(body, errors, "concurrent_builds", () => ServerRules.CheckConcurrentBuilds(ConcurrentBuilds));
        Check(body, errors, "deployment_queue_limit", () => ServerRules.CheckDeploymentQueueLimit(DeploymentQueueLimit));
        Check(body, errors, "dynamic_timeout", () => ServerRules.CheckDynamicTimeout(DynamicTimeout));
        Check(body, errors, "proxy_type", () =>
        {
            ProxyTypes.Normalize(ProxyType, out var proxyError);
            return proxyError;
        });
        return errors;
    }

    private static void Check(BodyResult<UpdateServerRequest> body, ValidationErrors errors, string field, Func<string?> rule)
    {
        if (body.Has(field))
        {
            errors.AddIf(field, rule());
        }
    }
}
