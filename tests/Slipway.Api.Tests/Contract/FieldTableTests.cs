using System.Text.Json.Serialization.Metadata;
using Slipway.Api.Features.Applications;
using Slipway.Api.Features.PrivateKeys;
using Slipway.Api.Features.Projects;
using Slipway.Api.Features.Servers;
using Slipway.Api.Features.Tags;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Api.Tests.Fixtures;

namespace Slipway.Api.Tests.Contract;

/// <summary>
/// The field tables (what requests accept) and the typed response records (what answers show) agree on every
/// field name: each field a table says is shown is a field of the response, and each field of the response is
/// shown by a table row or listed here as read-only. A typo on either side fails here.
/// </summary>
[Trait(TestDatabase.TraitName, TestDatabase.AnyDatabase)]
public sealed class FieldTableTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Json =
        SlipwayJson.Configure(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() });

    [Fact]
    public void ApplicationTable_AndApplicationResponse_AgreeOnEveryField() =>
        AssertAgree(ApplicationRequests.All, typeof(ApplicationResponse),
            ["id", "uuid", "destination_id", "destination_type", "environment_id", "git_full_url", "settings", "source_id", "status",
                "created_at", "updated_at", "settings.application_id",
                // Coolify's fields of features Slipway does not have, always null or off (and the basic-auth password, never shown).
                "build_command", "compose_parsing_version", "config_hash", "custom_healthcheck_found", "custom_network_aliases", "custom_nginx_configuration",
                "deleted_at", "docker_compose", "docker_compose_custom_build_command", "docker_compose_custom_start_command", "docker_compose_domains",
                "docker_compose_location", "docker_compose_raw", "http_basic_auth_password", "install_command", "repository_project_id", "start_command",
                "swarm_placement_constraints", "swarm_replicas", "settings.gpu_count", "settings.gpu_device_ids", "settings.gpu_driver", "settings.gpu_options",
                "settings.is_container_label_readonly_enabled", "settings.is_debug_enabled", "settings.is_gpu_enabled", "settings.is_include_timestamps",
                "settings.is_raw_compose_deployment_enabled", "settings.is_swarm_only_worker_nodes"]);

    [Fact]
    public void ServerTable_AndServerResponse_AgreeOnEveryField() =>
        AssertAgree(ServerTable.All, typeof(ServerResponse),
            ["id", "uuid", "proxy_type", "validation_logs", "is_localhost", "is_reachable", "is_usable", "created_at", "updated_at", "settings",
                "settings.is_build_server", "settings.is_reachable", "settings.is_usable", "settings.server_id", "settings.created_at", "settings.updated_at",
                "settings.allow_host_network", "settings.docker_client_path", "settings.docker_buildkit", "settings.docker_default_bridge", "settings.docker_probed_at"]);

    [Fact]
    public void ProjectTable_AndProjectResponses_AgreeOnEveryField()
    {
        AssertAgree([ProjectTable.Create, ProjectTable.Update], typeof(ProjectResponse), ["id", "uuid"]);
        AssertAgree([ProjectTable.Create, ProjectTable.Update], typeof(UpdatedProjectResponse), ["uuid"]);
        AssertAgree([ProjectTable.CreateEnvironment], typeof(EnvironmentResponse), ["id", "uuid", "project_id", "description", "created_at", "updated_at"]);
    }

    [Fact]
    public void PrivateKeyTable_AndPrivateKeyResponse_AgreeOnEveryField() =>
        AssertAgree([PrivateKeyTable.Create, PrivateKeyTable.Update], typeof(PrivateKeyResponse),
            ["id", "uuid", "public_key", "fingerprint", "is_git_related", "team_id", "created_at", "updated_at"]);

    [Fact]
    public void EnvironmentVariableTable_AndItsResponse_AgreeOnEveryField() =>
        AssertAgree([EnvironmentVariableTable.One], typeof(EnvironmentVariableResponse),
            ["id", "uuid", "is_shared", "real_value", "resourceable_id", "resourceable_type", "created_at", "updated_at"]);

    [Fact]
    public void TagFields_AndTagResponse_AgreeOnEveryField() =>
        AssertAgree([TagsEndpoints.CreateFields], typeof(Slipway.Api.Features.Tags.TagResponse), ["uuid", "created_at", "updated_at"]);

    [Fact]
    public void WireFields_NameTwice_ThrowsAtConstruction()
    {
        var name = WireField<object>.Text("name", Rules.Any, null);
        var again = WireField<object>.Text("name", Rules.Any, null);

        var error = Assert.Throws<InvalidOperationException>(() => new WireFields<object>("Twice", [name, again]));

        Assert.Contains("'name' is in the table twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WireFields_RequiredFieldOutsideTheSet_ThrowsAtConstruction()
    {
        var name = WireField<object>.Text("name", Rules.Any, null);
        var other = WireField<object>.Text("other", Rules.Any, null);

        Assert.Throws<InvalidOperationException>(() => new WireFields<object>("Missing", [name], required: [other]));
    }

    [Theory]
    [InlineData("Name")]
    [InlineData("health-check")]
    [InlineData("git_branch ")]
    [InlineData("")]
    public void WireField_NotSnakeCase_ThrowsAtConstruction(string name) =>
        Assert.Throws<ArgumentException>(() => WireField<object>.Text(name, Rules.Any, null));

    [Fact]
    public void AssertAgree_ShownFieldMissingFromResponse_Fails()
    {
        var typo = WireField<object>.Text("helth_check_path", Rules.Any, null);

        Assert.ThrowsAny<Exception>(() => AssertAgree([new WireFields<object>("Typo", [typo])], typeof(ApplicationResponse), []));
    }

    private static void AssertAgree<T>(IEnumerable<WireFields<T>> sets, Type response, string[] readOnly)
    {
        var wire = ResponseFields(response, prefix: null).ToHashSet(StringComparer.Ordinal);
        var shown = sets.SelectMany(s => s.Fields).Where(f => f.ShownAs is not null).Select(f => (f.Name, Shown: f.ShownAs!)).Distinct().ToList();

        Assert.All(shown, f => Assert.True(wire.Contains(f.Shown), $"'{f.Name}' is shown as '{f.Shown}', which {response.Name} does not have."));
        Assert.All(readOnly, f => Assert.True(wire.Contains(f), $"'{f}' is listed read-only but {response.Name} does not have it."));
        var unexplained = wire.Except(shown.Select(f => f.Shown)).Except(readOnly).Order(StringComparer.Ordinal).ToList();
        Assert.True(unexplained.Count == 0, $"{response.Name} shows fields no table row writes and no list calls read-only: {string.Join(", ", unexplained)}");
    }

    /// <summary>The response's JSON field names as the API writes them; an object-valued Slipway record adds "parent.child" names.</summary>
    private static IEnumerable<string> ResponseFields(Type type, string? prefix)
    {
        foreach (var property in Json.GetTypeInfo(type).Properties)
        {
            var name = prefix is null ? property.Name : $"{prefix}.{property.Name}";
            yield return name;
            var info = Json.GetTypeInfo(property.PropertyType);
            if (prefix is null && info.Kind == JsonTypeInfoKind.Object && property.PropertyType.Namespace?.StartsWith("Slipway.", StringComparison.Ordinal) == true
                && !property.PropertyType.IsGenericType)
            {
                foreach (var child in ResponseFields(property.PropertyType, name))
                {
                    yield return child;
                }
            }
        }
    }
}
