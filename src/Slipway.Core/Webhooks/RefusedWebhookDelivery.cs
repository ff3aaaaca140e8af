namespace Slipway.Core.Webhooks;

/// <summary>
/// A delivery no application's secret verified (a bad or missing signature, a body that could not be read, an
/// event that names no repository), kept apart from the applications' delivery histories: anyone can post to a
/// webhook URL, and such posts must never push out what a verified sender's deliveries did. Bounded in number and
/// recorded at a rate limited per source address; never the body or a signature.
/// </summary>
public sealed class RefusedWebhookDelivery
{
    public long Id { get; set; }

    /// <summary>An application connected to the repository the payload names (its owner sees the attempt), if any.</summary>
    public long? ApplicationId { get; set; }

    public required string Provider { get; set; }
    public required string Event { get; set; }
    public required string DeliveryId { get; set; }
    public string? Repository { get; set; }

    /// <summary>The sender's address: the socket's, or the one a trusted reverse proxy forwarded.</summary>
    public string? SourceAddress { get; set; }

    /// <summary>One of <see cref="WebhookResults"/>: <c>unauthorized</c>, <c>invalid</c> or <c>ignored</c>.</summary>
    public required string Result { get; set; }

    public required string Message { get; set; }
    public int StatusCode { get; set; }
    public DateTime CreatedAt { get; set; }
}
