using System.Text.Json.Nodes;
using Slipway.Api.Tests.Fixtures;

namespace Slipway.Api.Tests.Contract;

/// <summary>
/// Slipway's OpenAPI document diffed against the facts of Coolify's (<see cref="CoolifyFacts"/>) for every
/// operation they share (same path under <c>/api/v1</c>, same method): operationId, parameters, success status,
/// request body fields and response fields. Every difference must be one of <see cref="Deliberate"/>, and every
/// listed difference must still exist, so the list is the exact record of where Slipway departs from Coolify.
/// </summary>
public sealed class CoolifyDiffTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Prefix = "/api/v1";

    /// <summary>Slipway's deliberate differences from Coolify's contract, each with its reason.</summary>
    private static readonly Dictionary<string, string> Deliberate = new(StringComparer.Ordinal)
    {
        ["DELETE /applications/{uuid} Coolify-only-parameters query:delete_configurations, query:delete_connected_networks, query:delete_volumes, query:docker_cleanup"] =
            "Slipway removes an application's containers, images and work directory always; it has no volumes, configurations or networks of its own to keep.",
        ["DELETE /applications/{uuid}/previews/{pull_request_id} Slipway's-200-fields cancelled_deployments"] =
            "Slipway says which deployments deleting the preview cancelled.",
        ["GET /applications Slipway's-200-fields preview_deployments_limit, static_server"] =
            "Slipway additions: the preview limit and the static build pack's web server.",
        ["GET /applications/{uuid} Slipway's-200-fields preview_deployments_limit, static_server"] =
            "Slipway additions: the preview limit and the static build pack's web server.",
        ["GET /applications/{uuid}/envs Coolify-only-200-fields version"] =
            "Coolify's internal row version; Slipway has none.",
        ["GET /applications/{uuid}/previews Slipway-only"] =
            "A Slipway addition beyond Coolify's API.",
        ["GET /applications/{uuid}/webhook-deliveries Slipway-only"] =
            "A Slipway addition beyond Coolify's API.",
        ["GET /deployments Coolify-only-200-fields configuration_diff, configuration_hash, configuration_snapshot, docker_registry_image_tag"] =
            "The configuration snapshot and diff are never exposed (Coolify hides them too); the image tag column is unused.",
        ["GET /deployments/applications/{uuid} Coolify-only-200-fields base_directory, build_command, build_pack, compose_parsing_version, config_hash, created_at, custom_docker_run_options, custom_healthcheck_found, custom_labels, custom_network_aliases, custom_nginx_configuration, deleted_at, description, destination_id, destination_type, docker_compose, docker_compose_custom_build_command, docker_compose_custom_start_command, docker_compose_domains, docker_compose_location, docker_compose_raw, docker_registry_image_name, docker_registry_image_tag, dockerfile, dockerfile_location, dockerfile_target_build, environment_id, fqdn, git_branch, git_commit_sha, git_full_url, git_repository, health_check_command, health_check_enabled, health_check_host, health_check_interval, health_check_method, health_check_path, health_check_port, health_check_response_text, health_check_retries, health_check_return_code, health_check_scheme, health_check_start_period, health_check_timeout, health_check_type, http_basic_auth_password, http_basic_auth_username, id, install_command, is_http_basic_auth_enabled, limits_cpu_shares, limits_cpus, limits_cpuset, limits_memory, limits_memory_reservation, limits_memory_swap, limits_memory_swappiness, manual_webhook_secret_bitbucket, manual_webhook_secret_gitea, manual_webhook_secret_github, manual_webhook_secret_gitlab, max_restart_count, name, noindex_domains, ports_exposes, ports_mappings, post_deployment_command, post_deployment_command_container, pre_deployment_command, pre_deployment_command_container, preview_url_template, private_key_id, publish_directory, redirect, repository_project_id, settings, source_id, start_command, static_image, status, swarm_placement_constraints, swarm_replicas, updated_at, uuid, watch_paths"] =
            "Coolify's document describes this answer as a list of Application; Coolify (and Slipway) answer {count, deployments}.",
        ["GET /deployments/applications/{uuid} Slipway's-200-fields count, deployments"] =
            "Coolify's real answer, which its document misdescribes: {count, deployments}.",
        ["GET /deployments/{uuid} Coolify-only-200-fields configuration_diff, configuration_hash, configuration_snapshot, docker_registry_image_tag"] =
            "The configuration snapshot and diff are never exposed (Coolify hides them too); the image tag column is unused.",
        ["GET /deployments/{uuid} Slipway's-parameters query:status, query:wait"] =
            "Slipway's long-poll: answer as soon as the status is no longer the one seen.",
        ["GET /deployments/{uuid}/logs Slipway-only"] =
            "A Slipway addition beyond Coolify's API.",
        ["GET /projects/{uuid} Slipway's-200-fields environments"] =
            "Coolify's real answer includes the environments; its document leaves them out.",
        ["GET /projects/{uuid}/environments Slipway's-200-fields uuid"] =
            "Environments are addressed by uuid in Slipway, so the answer shows it.",
        ["GET /security/keys Coolify-only-200-fields private_key"] =
            "Key material never leaves Slipway, whatever the token's abilities.",
        ["GET /security/keys/{uuid} Coolify-only-200-fields private_key"] =
            "Key material never leaves Slipway, whatever the token's abilities.",
        ["GET /servers Coolify-only-200-fields high_disk_usage_notification_sent, log_drain_notification_sent, proxy, swarm_cluster, unreachable_count, unreachable_notification_sent"] =
            "Proxy, swarm and notification state Slipway does not have.",
        ["GET /servers Slipway's-200-fields allow_host_network, created_at, is_localhost, is_reachable, is_usable, updated_at"] =
            "Slipway shows whether the server is the local one, its last validation, its timestamps and whether it allows host networking (allow_host_network, issue 10) at the top level.",
        ["GET /servers/{uuid} Coolify-only-200-fields high_disk_usage_notification_sent, log_drain_notification_sent, proxy, swarm_cluster, unreachable_count, unreachable_notification_sent"] =
            "Proxy, swarm and notification state Slipway does not have.",
        ["GET /servers/{uuid} Slipway's-200-fields allow_host_network, created_at, is_localhost, is_reachable, is_usable, updated_at"] =
            "Slipway shows whether the server is the local one, its last validation, its timestamps and whether it allows host networking (allow_host_network, issue 10) at the top level.",
        ["GET /servers/{uuid}/proxy Slipway's-200-fields acme_ca_root, acme_ca_url, acme_email, admin_port, certificates, config_generation, http_port, https_port, image, last_reconcile, problems, status_error"] =
            "Slipway's proxy settings (ports, Caddy image, ACME account and CA) and what it knows of the running proxy: certificates, the last reconcile and its config generation, stored values left out of the config.",
        ["PATCH /servers/{uuid}/proxy Slipway's-200-fields acme_ca_root, acme_ca_url, acme_email, admin_port, certificates, config_generation, http_port, https_port, image, last_reconcile, problems, status_error"] =
            "Slipway's proxy settings (ports, Caddy image, ACME account and CA) and what it knows of the running proxy: certificates, the last reconcile and its config generation, stored values left out of the config.",
        ["PATCH /servers/{uuid}/proxy Slipway's-request-fields acme_ca_root, acme_ca_url, acme_email, admin_port, http_port, https_port, image"] =
            "Slipway's proxy settings: the ports Caddy listens on, its image, the ACME account, directory and private CA root.",
        ["PUT /servers/{uuid}/proxy/configuration success -vs-200"] =
            "Slipway renders the proxy configuration itself and owns it: saving one is always a 422, so there is no success answer.",
        ["GET /tokens/current Slipway-only"] =
            "A Slipway addition beyond Coolify's API.",
        ["PATCH /applications/{uuid} Slipway's-200-fields deployment_uuid"] =
            "With instant_deploy, the queued deployment (left out otherwise).",
        ["PATCH /applications/{uuid} Slipway's-request-fields autogenerate_domain, dockerfile_target_build, environment_uuid, health_check_command, health_check_type, http_basic_auth_password, http_basic_auth_username, is_http_basic_auth_enabled, preview_deployments_limit, private_key_uuid, static_image, static_server"] =
            "Fields Slipway's PATCH takes that Coolify's request schema does not list: health_check_type/health_check_command (Coolify's controller takes them, its document lists them only in Application), environment_uuid and private_key_uuid (move an application, change its deploy key), static_image, the routing fields Coolify takes only on create (basic auth, autogenerate_domain), and the Slipway additions preview_deployments_limit and static_server. dockerfile_target_build (issue 14) is an Application field Coolify's request documents leave out.",
        ["PATCH /applications/{uuid}/envs Coolify-only-201-fields version"] =
            "Coolify's internal row version; Slipway has none.",
        ["PATCH /applications/{uuid}/envs Slipway's-request-fields comment, is_buildtime, is_runtime"] =
            "Variable flags and comment that Slipway stores and shows; Coolify's request schema does not list them.",
        ["PATCH /applications/{uuid}/envs/bulk Coolify-only-201-fields version"] =
            "Coolify's internal row version; Slipway has none.",
        ["PATCH /security/keys/{uuid} Slipway-only"] =
            "Coolify updates a key with PATCH /security/keys (uuid in the body); Slipway addresses it by path like every other resource.",
        ["PATCH /servers/{uuid} Coolify-only-201-fields high_disk_usage_notification_sent, log_drain_notification_sent, proxy, swarm_cluster, unreachable_count, unreachable_notification_sent"] =
            "Proxy, swarm and notification state Slipway does not have.",
        ["PATCH /servers/{uuid} Slipway's-201-fields allow_host_network, created_at, is_localhost, is_reachable, is_usable, updated_at"] =
            "Slipway shows whether the server is the local one, its last validation, its timestamps and whether it allows host networking (allow_host_network, issue 10) at the top level.",
        ["POST /applications/dockerfile Slipway's-201-fields deployment_uuid"] =
            "With instant_deploy, the queued deployment (left out otherwise).",
        ["POST /applications/dockerfile Slipway's-request-fields dockerfile_target_build, health_check_command, health_check_type, is_spa, is_static, preview_deployments_limit, publish_directory"] =
            "Slipway additions: the preview limit (and the static build pack's web server); health_check_type/health_check_command, which Coolify's controller takes but its document lists only in Application. dockerfile_target_build is an Application field Coolify's request documents leave out; is_static, is_spa and publish_directory are accepted on every create (a 422 unless build_pack is static).",
        ["POST /applications/dockerimage Slipway's-201-fields deployment_uuid"] =
            "With instant_deploy, the queued deployment (left out otherwise).",
        ["POST /applications/dockerimage Slipway's-request-fields health_check_command, health_check_type, preview_deployments_limit"] =
            "Slipway additions: the preview limit (and the static build pack's web server); health_check_type/health_check_command, which Coolify's controller takes but its document lists only in Application.",
        ["POST /applications/private-deploy-key Slipway's-201-fields deployment_uuid"] =
            "With instant_deploy, the queued deployment (left out otherwise).",
        ["POST /applications/private-deploy-key Slipway's-request-fields dockerfile_target_build, health_check_command, health_check_type, preview_deployments_limit, static_server"] =
            "Slipway additions: the preview limit (and the static build pack's web server); health_check_type/health_check_command, which Coolify's controller takes but its document lists only in Application. dockerfile_target_build is an Application field Coolify's request documents leave out.",
        ["POST /applications/public Slipway's-201-fields deployment_uuid"] =
            "With instant_deploy, the queued deployment (left out otherwise).",
        ["POST /applications/public Slipway's-request-fields dockerfile_target_build, health_check_command, health_check_type, preview_deployments_limit, static_server"] =
            "Slipway additions: the preview limit (and the static build pack's web server); health_check_type/health_check_command, which Coolify's controller takes but its document lists only in Application. dockerfile_target_build is an Application field Coolify's request documents leave out.",
        ["POST /applications/{uuid}/envs Slipway's-request-fields comment, is_buildtime, is_runtime"] =
            "Variable flags and comment that Slipway stores and shows; Coolify's request schema does not list them.",
        ["POST /applications/{uuid}/start Coolify-only-parameters query:instant_deploy"] =
            "Start always queues at once in Slipway.",
        ["POST /applications/{uuid}/stop Coolify-only-parameters query:docker_cleanup"] =
            "Stopping removes nothing in Slipway; images are pruned by docker_images_to_keep.",
        ["POST /deploy Coolify-only-200-fields deployments"] =
            "Slipway's 200 is one of two shapes (by uuid or by tag), stated as oneOf; Coolify's document shows only the first.",
        ["POST /servers Slipway's-request-fields allow_host_network"] =
            "Slipway addition: applications on the server may use --network host only when the server allows it (default false).",
        ["POST /servers/{uuid}/validate Slipway's-201-fields is_reachable, is_usable, validation_logs"] =
            "Slipway validates at once and says what it found; Coolify only starts a background check.",
        ["DELETE /applications/{uuid}/git-host-key Slipway-only"] =
            "Slipway pins a git host's SSH key per application after first use; this forgets it so the next deployment pins again.",
        ["GET /applications/{uuid}/webhook-deliveries/refused Slipway-only"] =
            "Refused (unverified) webhook deliveries are kept apart from an application's history, bounded; Coolify keeps none.",
        ["PATCH /servers/{uuid} Slipway's-request-fields allow_host_network, deployment_log_max_bytes, deployment_log_max_lines, deployment_log_retention"] =
            "Slipway's server settings: the host-network opt-in (issue 10), the per-server caps on a deployment's log (lines and bytes) and log retention (issue 13); Coolify has none.",
        ["POST /webhooks/source/bitbucket/events/manual Slipway-only"] =
            "Coolify serves these outside /api/v1 and leaves them out of its document; Slipway documents them.",
        ["POST /webhooks/source/gitea/events/manual Slipway-only"] =
            "Coolify serves these outside /api/v1 and leaves them out of its document; Slipway documents them.",
        ["POST /webhooks/source/github/events/manual Slipway-only"] =
            "Coolify serves these outside /api/v1 and leaves them out of its document; Slipway documents them.",
        ["POST /webhooks/source/gitlab/events/manual Slipway-only"] =
            "Coolify serves these outside /api/v1 and leaves them out of its document; Slipway documents them.",
    };

    [Fact]
    public async Task Document_SharedOperations_DifferFromCoolifyOnlyWhereListed()
    {
        var slipway = JsonNode.Parse(await factory.ClientWith(null).GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!.AsObject();
        var coolify = JsonNode.Parse(File.ReadAllText(CoolifyFacts.Path))!.AsObject();

        var differences = Diff(slipway, coolify);

        var unexplained = differences.Except(Deliberate.Keys).Order(StringComparer.Ordinal).ToList();
        var stale = Deliberate.Keys.Except(differences).Order(StringComparer.Ordinal).ToList();
        Assert.True(unexplained.Count == 0, "Differences from Coolify not in the list:\n" + string.Join("\n", unexplained.Select(d => $"        [\"{d}\"] = \"\",")));
        Assert.True(stale.Count == 0, "Listed differences that no longer exist:\n" + string.Join("\n", stale));
    }

    /// <summary>One line per operation and kind of difference, naming every parameter or field of that kind.</summary>
    private static HashSet<string> Diff(JsonObject slipway, JsonObject coolify) =>
        Details(slipway, coolify)
            .Select(d => d.Split(' ', 4) is [var method, var path, var kind, var name] ? (Key: $"{method} {path} {kind}", Name: name) : (Key: d, Name: ""))
            .GroupBy(d => d.Key, StringComparer.Ordinal)
            .Select(g => g.All(d => d.Name.Length == 0) ? g.Key : $"{g.Key} {string.Join(", ", g.Select(d => d.Name).Order(StringComparer.Ordinal))}")
            .ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> Details(JsonObject slipway, JsonObject coolify)
    {
        var differences = new HashSet<string>(StringComparer.Ordinal);
        var operations = coolify["operations"]!.AsObject();
        foreach (var (path, item) in slipway["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                var operation = node!.AsObject();
                var relative = path.StartsWith(Prefix, StringComparison.Ordinal) ? path[Prefix.Length..] : path;
                var key = $"{method.ToUpperInvariant()} {relative}";
                if (operations[key] is not JsonObject theirs)
                {
                    differences.Add($"{key} Slipway-only");
                    continue;
                }

                var id = operation["operationId"]?.GetValue<string>();
                var theirId = theirs["operationId"]?.GetValue<string>();
                if (id != theirId)
                {
                    differences.Add($"{key} operationId {id}-vs-{theirId}");
                }

                var ours = Parameters(operation);
                var their = Parameters(theirs);
                differences.UnionWith(ours.Except(their).Select(p => $"{key} Slipway's-parameters {p}"));
                differences.UnionWith(their.Except(ours).Select(p => $"{key} Coolify-only-parameters {p}"));

                var ourSuccess = Statuses(operation).Where(s => s.StartsWith('2')).ToHashSet();
                var theirSuccess = Statuses(theirs).Where(s => s.StartsWith('2')).ToHashSet();
                if (!ourSuccess.SetEquals(theirSuccess))
                {
                    differences.Add($"{key} success {string.Join("/", ourSuccess.Order())}-vs-{string.Join("/", theirSuccess.Order())}");
                }

                var ourFields = RequestFields(slipway, operation);
                var theirFields = RequestFields(coolify, theirs);
                differences.UnionWith(ourFields.Except(theirFields).Select(f => $"{key} Slipway's-request-fields {f}"));

                foreach (var status in ourSuccess.Intersect(theirSuccess))
                {
                    var ourShown = ResponseFields(slipway, operation, status);
                    var theirShown = ResponseFields(coolify, theirs, status);
                    if (theirShown.Count == 0)
                    {
                        continue;
                    }

                    differences.UnionWith(ourShown.Except(theirShown).Select(f => $"{key} Slipway's-{status}-fields {f}"));
                    differences.UnionWith(theirShown.Except(ourShown).Select(f => $"{key} Coolify-only-{status}-fields {f}"));
                }
            }
        }

        return differences;
    }

    private static HashSet<string> Parameters(JsonObject operation) =>
        (operation["parameters"]?.AsArray() ?? []).Select(p => $"{p!["in"]}:{p["name"]}").ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> Statuses(JsonObject operation) => operation["responses"]!.AsObject().Select(r => r.Key);

    /// <summary>The request body's field names (application/json), following one reference.</summary>
    private static HashSet<string> RequestFields(JsonObject document, JsonObject operation)
    {
        var content = operation["requestBody"]?["content"]?["application/json"];
        var schema = content?["schema"] ?? content;
        return Properties(document, schema);
    }

    private static HashSet<string> ResponseFields(JsonObject document, JsonObject operation, string status)
    {
        var response = operation["responses"]![status];
        if (response?["$ref"] is not null)
        {
            return [];
        }

        var content = response?["content"]?["application/json"];
        var schema = content?["schema"] ?? content;
        if (schema?["type"]?.ToString() == "array" || schema?["items"] is not null)
        {
            schema = schema!["items"];
        }

        return Properties(document, schema);
    }

    private static HashSet<string> Properties(JsonObject document, JsonNode? schema)
    {
        if (schema?["$ref"]?.GetValue<string>() is { } reference)
        {
            var name = reference[(reference.LastIndexOf('/') + 1)..];
            schema = document["components"]?["schemas"]?[name] ?? document["schemas"]?[name];
        }

        return (schema?["properties"]?.AsObject().Select(p => p.Key) ?? []).ToHashSet(StringComparer.Ordinal);
    }
}
