using System.Text.Json.Serialization;
using Slipway.Core.Applications;
using Slipway.Core.Webhooks;

namespace Slipway.Api.Features.Webhooks;

/// <summary>What a delivery did for one application (recorded as a <see cref="WebhookDelivery"/> row).</summary>
public sealed record WebhookOutcome(Application Application, string Result, string Message, IReadOnlyList<string> DeploymentUuids)
{
    /// <summary>Outcomes worth answering a repeated delivery with; the others (queue full, failure) may be retried.</summary>
    public static bool IsFinal(string result) => result is not (WebhookResults.QueueFull or WebhookResults.Failed or WebhookResults.Unauthorized);

    public WebhookResultResponse ToResponse(int? pullRequestId) =>
        new(Application.Uuid, Application.Name, Result, Message, pullRequestId, DeploymentUuids);
}

/// <summary>The body of every webhook answer except 401/413/400, which are <c>{"message": ...}</c>.</summary>
public sealed record WebhookResponse(
    string Message,
    string Provider,
    string Event,
    string DeliveryId,
    bool Replayed,
    IReadOnlyList<WebhookResultResponse> Results);

public sealed record WebhookResultResponse(
    string ApplicationUuid,
    string ApplicationName,
    string Result,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? PullRequestId,
    IReadOnlyList<string> DeploymentUuids);
