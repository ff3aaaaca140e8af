using Slipway.Api.Http.Fields;
using Slipway.Core.Common;
using Slipway.Core.Validation;
using Field = Slipway.Api.Http.Fields.WireField<Slipway.Api.Features.Applications.ApplicationDraft>;

namespace Slipway.Api.Features.Applications;

/// <summary>
/// Coolify's remaining application fields. Two are Slipway features (noindex_domains, is_env_sorting_enabled). The
/// others switch on something Slipway has no such thing as (build servers, log drains, GitHub Apps, several
/// destinations per server, label interpolation): each is accepted at the value that describes what Slipway does,
/// which is Coolify's default, so a client that sends Coolify's defaults works; asking for the missing feature is a
/// 422 that says why, never a value silently ignored.
/// </summary>
public static partial class ApplicationTable
{
    public static readonly Field NoindexDomains = Field.Texts("noindex_domains", (v, _) => DomainRules.CheckNoindex(v),
        (d, v) => d.Application.NoindexDomains = DomainRules.JoinNoindex(v)).AcceptsNull();

    public static readonly Field IsEnvSortingEnabled = Field.Flag("is_env_sorting_enabled", Rules.Boolean, (d, v) => d.Application.IsEnvSortingEnabled = v!.Value)
        .Shown("settings.is_env_sorting_enabled");

    public static readonly Field UseBuildServer = Field.Flag("use_build_server",
        OnlyOrNull(false, "Slipway builds every image on the application's own server; there are no build servers, so use_build_server can only be false."), null)
        .AcceptsNull().Shown("settings.is_build_server_enabled");

    public static readonly Field IsLogDrainEnabled = Field.Flag("is_log_drain_enabled",
        Only(false, "Slipway has no log drains (a container's logs stay with Docker on its server), so is_log_drain_enabled can only be false."), null)
        .Shown("settings.is_log_drain_enabled");

    public static readonly Field IsContainerLabelEscapeEnabled = Field.Flag("is_container_label_escape_enabled",
        Only(true, "Slipway passes custom_labels to docker run as literal arguments, never through Compose, so $ is never interpolated: is_container_label_escape_enabled can only be true."),
        null).Shown("settings.is_container_label_escape_enabled");

    /// <summary>Each server has one destination, its <c>slipway</c> Docker network, identified by the server's uuid (checked by the placement).</summary>
    public static readonly Field DestinationUuid = Field.Text("destination_uuid", Rules.Clearable((v, f) => PublicId.IsPlausible(v) ? null : $"The {f} is not a valid uuid."), null)
        .AcceptsNull().WriteOnly();

    public static readonly Field GithubAppUuid = Field.Text("github_app_uuid",
        (v, _) => string.IsNullOrEmpty(v) ? null
            : "Slipway has no GitHub Apps: clone a public repository, or a private one with a deploy key (POST /applications/private-deploy-key, private_key_uuid).",
        null).AcceptsNull().WriteOnly();

    private static Func<bool?, string, string?> Only(bool accepted, string message) =>
        (value, field) => value is null ? Rules.Boolean(value, field) : value == accepted ? null : message;

    /// <summary>As <see cref="Only(bool, string)"/>, and null means the default.</summary>
    private static Func<bool?, string, string?> OnlyOrNull(bool accepted, string message) =>
        (value, field) => value is null ? null : Only(accepted, message)(value, field);
}
