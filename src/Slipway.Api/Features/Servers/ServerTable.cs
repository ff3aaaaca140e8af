using Slipway.Api.Http.Fields;
using Slipway.Core.Proxy;
using Slipway.Core.Servers;
using Slipway.Core.Validation;
using Field = Slipway.Api.Http.Fields.WireField<Slipway.Core.Servers.Server>;
using Fields = Slipway.Api.Http.Fields.WireFields<Slipway.Core.Servers.Server>;

namespace Slipway.Api.Features.Servers;

/// <summary>
/// The server fields of Coolify's contract that Slipway supports, once each: wire name, rule, assignment, schema
/// facts. A new server (not stored yet, <c>Id == 0</c>) may leave out what has a default (its name is its ip,
/// port 22, user root); a stored one cannot set them to nothing.
/// </summary>
public static class ServerTable
{
    public static readonly Field Name = Field.Text("name", (s, v, f) => TextRules.CheckName(v, f, required: !IsNew(s)), (s, v) => s.Name = v?.Trim() ?? string.Empty)
        .AcceptsNull().AtMost(255);
    public static readonly Field Description = Field.Text("description", (v, _) => TextRules.CheckDescription(v), (s, v) => s.Description = v).AcceptsNull().AtMost(2000);
    public static readonly Field Ip = Field.Text("ip", (s, v, _) => IsNew(s) && string.IsNullOrEmpty(v) ? null : TextRules.CheckHost(v), (s, v) => s.Ip = v!).AtMost(253);
    public static readonly Field Port = Field.Integer("port", (s, v, _) => IsNew(s) && v is null ? null : ServerRules.CheckPort(v), (s, v) => s.Port = v ?? s.Port)
        .Between(1, 65535);
    public static readonly Field User = Field.Text("user", (s, v, _) => IsNew(s) && v is null ? null : TextRules.CheckSshUser(v), (s, v) => s.User = v ?? s.User)
        .Matching("^[a-z_][a-z0-9_-]{0,31}$");
    public static readonly Field PrivateKeyUuid = Field.Text("private_key_uuid", (v, f) => string.IsNullOrEmpty(v) ? $"The {f} field is required." : null, null).WriteOnly();
    public static readonly Field InstantValidate = Field.Flag("instant_validate", Rules.Any, null).AcceptsNull().WriteOnly();
    public static readonly Field ConcurrentBuilds = Field.Integer("concurrent_builds", (v, _) => ServerRules.CheckConcurrentBuilds(v), (s, v) => s.ConcurrentBuilds = v!.Value)
        .Between(1, ServerRules.MaxConcurrentBuilds).Shown("settings.concurrent_builds");
    public static readonly Field DeploymentQueueLimit = Field.Integer("deployment_queue_limit", (v, _) => ServerRules.CheckDeploymentQueueLimit(v), (s, v) => s.DeploymentQueueLimit = v!.Value)
        .Between(1, ServerRules.MaxDeploymentQueueLimit).Shown("settings.deployment_queue_limit");
    public static readonly Field DynamicTimeout = Field.Integer("dynamic_timeout", (v, _) => ServerRules.CheckDynamicTimeout(v), (s, v) => s.DynamicTimeout = v!.Value)
        .Between(ServerRules.MinDynamicTimeout, ServerRules.MaxDynamicTimeout).Shown("settings.dynamic_timeout");

    /// <summary>Slipway addition: applications on the server may use <c>--network host</c> (default false; shown at the top and in settings).</summary>
    public static readonly Field AllowHostNetwork = Field.Flag("allow_host_network", Rules.Boolean, (s, v) => s.AllowHostNetwork = v!.Value);

    /// <summary>Slipway addition: lines of command output a deployment's log stores (past it one line says so and the build goes on).</summary>
    public static readonly Field DeploymentLogMaxLines = Field.Integer("deployment_log_max_lines", (v, _) => ServerRules.CheckDeploymentLogMaxLines(v), (s, v) => s.DeploymentLogMaxLines = v!.Value)
        .Between(ServerRules.MinDeploymentLogMaxLines, ServerRules.MaxDeploymentLogMaxLines).Shown("settings.deployment_log_max_lines");

    /// <summary>Slipway addition: bytes of command output a deployment's log stores, with the same effect.</summary>
    public static readonly Field DeploymentLogMaxBytes = Field.Integer64("deployment_log_max_bytes", (v, _) => ServerRules.CheckDeploymentLogMaxBytes(v), (s, v) => s.DeploymentLogMaxBytes = v!.Value)
        .Between(ServerRules.MinDeploymentLogMaxBytes, ServerRules.MaxDeploymentLogMaxBytes).Shown("settings.deployment_log_max_bytes");

    /// <summary>Slipway addition: how many of each application's newest deployments keep their logs (older logs are pruned).</summary>
    public static readonly Field DeploymentLogRetention = Field.Integer("deployment_log_retention", (v, _) => ServerRules.CheckDeploymentLogRetention(v), (s, v) => s.DeploymentLogRetention = v!.Value)
        .Between(ServerRules.MinDeploymentLogRetention, ServerRules.MaxDeploymentLogRetention).Shown("settings.deployment_log_retention");

    /// <summary><c>CADDY</c> or <c>NONE</c>, case-insensitive (Coolify's lower-case spelling works); a new server without one has none.</summary>
    public static readonly Field ProxyType = Field.Text("proxy_type", (s, v, _) => IsNew(s) && v is null ? null : CheckProxyType(v),
        (s, v) => s.Proxy.Type = ProxyTypes.Normalize(v ?? ProxyTypes.None, out _)!).AcceptsNull();

    /// <summary>Body of <c>POST /servers</c>: a server reached over SSH with one of the team's private keys.</summary>
    public static readonly Fields Create = new(
        "CreateServerRequest", [Name, Description, Ip, Port, User, PrivateKeyUuid, InstantValidate, AllowHostNetwork, ProxyType], required: [Ip, PrivateKeyUuid],
        unsupported: new HashSet<string>(StringComparer.Ordinal) { "is_build_server" });

    /// <summary>Body of <c>PATCH /servers/{uuid}</c>: only the fields sent change; a null description clears it.</summary>
    public static readonly Fields Update = new(
        "UpdateServerRequest", [Name, Description, Ip, Port, User, PrivateKeyUuid, InstantValidate, ConcurrentBuilds, DeploymentQueueLimit, DynamicTimeout,
            AllowHostNetwork, DeploymentLogMaxLines, DeploymentLogMaxBytes, DeploymentLogRetention, ProxyType],
        unsupported: new HashSet<string>(StringComparer.Ordinal)
        {
            "is_build_server", "server_disk_usage_notification_threshold", "server_disk_usage_check_frequency", "connection_timeout",
        });

    /// <summary>
    /// Body of <c>POST /servers/{uuid}/validate</c>. The contract's only field, <c>install</c> (install Docker and
    /// prerequisites), is not supported, so the accepted body is empty.
    /// </summary>
    public static readonly Fields Validate = new("ValidateServerRequest", [], unsupported: new HashSet<string>(StringComparer.Ordinal) { "install" });

    public static IEnumerable<Fields> All => [Create, Update, Validate];

    private static string? CheckProxyType(string? value)
    {
        ProxyTypes.Normalize(value, out var error);
        return error;
    }

    /// <summary>A server not stored yet is being created.</summary>
    private static bool IsNew(Server server) => server.Id == 0;
}
