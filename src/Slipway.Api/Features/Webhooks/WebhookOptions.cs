namespace Slipway.Api.Features.Webhooks;

/// <summary>Webhook settings (<c>Slipway:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Slipway:Webhooks";

    /// <summary>
    /// How long a delivery may spend asking the git host whether its commit is still the branch's head (all of its
    /// applications together; default 5 s). Git hosts give up on a webhook after about 10 s.
    /// </summary>
    public TimeSpan HeadCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Refused deliveries recorded per source address and minute (default 20); past it they are answered 429.</summary>
    public int RefusedPerMinute { get; set; } = 20;

    /// <summary>Refused deliveries kept in all (the newest; default 1000).</summary>
    public int RefusedKept { get; set; } = 1000;
}
