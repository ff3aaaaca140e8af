using Slipway.Core.Common;
using Slipway.Core.Deployments;

namespace Slipway.Api.Features.Deployments;

/// <summary>
/// A page of a deployment's log. <c>last_order</c> is what to pass as <c>after</c> next; <c>complete</c> is true
/// once the deployment has ended and every entry of its log is in this or an earlier page.
/// </summary>
public sealed record DeploymentLogsResponse(
    string DeploymentUuid,
    string Status,
    bool Complete,
    bool HasMore,
    int LastOrder,
    IReadOnlyList<DeploymentLogEntryResponse> Entries);

/// <summary>One entry, in the shape and key order of the entries inside Coolify's <c>logs</c> string.</summary>
public sealed record DeploymentLogEntryResponse(string? Command, string Output, string Type, string Timestamp, bool Hidden, int Batch, int Order)
{
    public static DeploymentLogEntryResponse From(DeploymentLogEntry e) =>
        new(e.Command, e.Output, e.Type, Timestamps.ToWire(e.Timestamp), e.Hidden, e.Batch, e.Order);
}
