using System.Text.Json;

namespace Slipway.Core.Webhooks;

/// <summary>
/// A git provider's webhook conventions: where the signature, delivery id and event name are, how the signature
/// is checked, and how its payloads read.
/// </summary>
public sealed record GitProvider(
    string Name,
    string SignatureHeader,
    SignatureScheme Scheme,
    string DeliveryHeader,
    string EventHeader,
    Func<string, JsonElement, WebhookEvent> Parse)
{
    public static readonly GitProvider GitHub = new(
        GitProviders.GitHub, "X-Hub-Signature-256", SignatureScheme.HmacSha256, "X-GitHub-Delivery", "X-GitHub-Event", (e, root) => GitHubPayload.Parse(e, root));

    public static readonly GitProvider GitLab = new(
        GitProviders.GitLab, "X-Gitlab-Token", SignatureScheme.Token, "X-Gitlab-Event-UUID", "X-Gitlab-Event", GitLabPayload.Parse);

    public static readonly GitProvider Gitea = new(
        GitProviders.Gitea, "X-Hub-Signature-256", SignatureScheme.HmacSha256, "X-Gitea-Delivery", "X-Gitea-Event", GiteaPayload.Parse);

    public static readonly GitProvider Bitbucket = new(
        GitProviders.Bitbucket, "X-Hub-Signature", SignatureScheme.HmacSha256, "X-Request-UUID", "X-Event-Key", BitbucketPayload.Parse);

    public static readonly IReadOnlyList<GitProvider> All = [GitHub, GitLab, Gitea, Bitbucket];
}
