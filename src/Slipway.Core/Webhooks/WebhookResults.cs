namespace Slipway.Core.Webhooks;

/// <summary>What a delivery did for an application, as recorded and returned.</summary>
public static class WebhookResults
{
    /// <summary>A deployment was queued.</summary>
    public const string Queued = "queued";

    /// <summary>The same commit was already queued or running; its deployment is named.</summary>
    public const string AlreadyQueued = "already_queued";

    /// <summary>
    /// The pushed commit is no longer its branch's head on the git host (or the branch is gone): an old or replayed
    /// delivery, which must not roll the application back. Nothing was queued.
    /// </summary>
    public const string Stale = "stale";

    /// <summary>Nothing to do: another branch, an unsupported event, watch paths, a skip marker, a fork...</summary>
    public const string Ignored = "ignored";

    /// <summary>The per-application preview limit (or the preview port range) refused a new preview.</summary>
    public const string Limited = "limited";

    /// <summary>The server's deployment queue was full; the provider may deliver again later.</summary>
    public const string QueueFull = "queue_full";

    /// <summary>A pull request closed: its preview, deployments, containers and images were removed.</summary>
    public const string Closed = "closed";

    /// <summary>The signature was missing or did not verify.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>Acting on it failed (the Docker engine was unreachable, say); a later delivery may succeed.</summary>
    public const string Failed = "failed";

    /// <summary>The body could not be read as the provider's payload.</summary>
    public const string Invalid = "invalid";
}
