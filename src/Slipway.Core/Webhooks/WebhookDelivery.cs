namespace Slipway.Core.Webhooks;

/// <summary>
/// One git-provider delivery as it concerned one application (a delivery that matched no application, or could
/// not be read, has none). Only what the payload said that mattered is kept, bounded in size, never the body or
/// a secret. A verified delivery id seen again is answered from these rows and queues nothing new.
/// </summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public long? ApplicationId { get; set; }

    /// <summary><c>github</c>, <c>gitlab</c>, <c>gitea</c> or <c>bitbucket</c>.</summary>
    public required string Provider { get; set; }

    /// <summary>The provider's event name (<c>push</c>, <c>pull_request</c>, <c>Merge Request Hook</c>, <c>repo:push</c>...).</summary>
    public required string Event { get; set; }

    public string? Action { get; set; }

    /// <summary>The provider's delivery id header, or a hash of the body when the provider sends none.</summary>
    public required string DeliveryId { get; set; }

    public string? Repository { get; set; }
    public string? Branch { get; set; }
    public int? PullRequestId { get; set; }
    public string? Commit { get; set; }

    /// <summary>The signature checked out with this application's secret.</summary>
    public bool Verified { get; set; }

    /// <summary>What happened: one of <see cref="WebhookResults"/>.</summary>
    public required string Result { get; set; }

    public required string Message { get; set; }
    public int StatusCode { get; set; }

    /// <summary>The deployments this delivery queued (or found already queued), comma-separated.</summary>
    public string? DeploymentUuids { get; set; }

    public DateTime CreatedAt { get; set; }
}
