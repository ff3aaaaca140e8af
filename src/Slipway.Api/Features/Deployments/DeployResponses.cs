using System.Text.Json.Serialization;

namespace Slipway.Api.Features.Deployments;

/// <summary>One item of <c>POST /deploy?uuid=</c>: <c>deployment_uuid</c> is left out when nothing was queued.</summary>
public sealed record DeployItem(
    string Message,
    string ResourceUuid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeploymentUuid);

public sealed record DeployByUuidResponse(IReadOnlyList<DeployItem> Deployments);

public sealed record DeployDetail(string ResourceUuid, string DeploymentUuid);

/// <summary><c>POST /deploy?tag=</c>: every message, and the deployments queued (only when there are some).</summary>
public sealed record DeployByTagResponse(
    IReadOnlyList<string> Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<DeployDetail>? Details);
