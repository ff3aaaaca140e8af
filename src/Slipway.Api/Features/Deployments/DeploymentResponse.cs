using System.Text.Json.Serialization;
using Slipway.Core.Common;
using Slipway.Core.Deployments;

namespace Slipway.Api.Features.Deployments;

/// <summary>
/// The deployment record on the wire: Coolify's 23 fields with Coolify's types, in Coolify's key order
/// (<c>id</c>, then alphabetical, then <c>created_at</c>, <c>updated_at</c>). <c>logs</c> is present only for
/// tokens that may read sensitive data. A deployment older than its server's <c>deployment_log_retention</c> keeps
/// its record, and its <c>logs</c> hold one Slipway line (<c>Log pruned by retention: …</c>, see
/// <see cref="LogRetention"/>).
/// </summary>
public sealed record DeploymentResponse(
    long Id,
    string ApplicationId,
    string? ApplicationName,
    string Commit,
    string? CommitMessage,
    string? CurrentProcessId,
    string? DeploymentUrl,
    string DeploymentUuid,
    string? DestinationId,
    bool ForceRebuild,
    string? GitType,
    bool IsApi,
    bool IsWebhook,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Logs,
    bool OnlyThisServer,
    int PullRequestId,
    bool RestartOnly,
    bool Rollback,
    long ServerId,
    string? ServerName,
    string Status,
    string CreatedAt,
    string UpdatedAt)
{
    public static DeploymentResponse From(Deployment d, string? logs) => new(
        d.Id,
        d.ApplicationId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        d.ApplicationName,
        d.Commit,
        string.IsNullOrEmpty(d.CommitMessage) ? null : d.CommitMessage,
        d.CurrentProcessId,
        d.DeploymentUrl,
        d.Uuid,
        d.DestinationId,
        d.ForceRebuild,
        d.GitType,
        d.IsApi,
        d.IsWebhook,
        logs,
        d.OnlyThisServer,
        d.PullRequestId,
        d.RestartOnly,
        d.Rollback,
        d.ServerId,
        d.ServerName,
        d.Status.ToWire(),
        Timestamps.ToWire(d.CreatedAt),
        Timestamps.ToWire(d.UpdatedAt));
}

/// <summary>The per-application history: <c>{count, deployments}</c>, newest first.</summary>
public sealed record ApplicationDeploymentsResponse(int Count, IReadOnlyList<DeploymentResponse> Deployments);

public sealed record CancelDeploymentResponse(string Message, string DeploymentUuid, string Status);
