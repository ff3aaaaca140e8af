using System.Text.Json;

namespace Slipway.Core.Webhooks;

/// <summary>
/// Gitea's <c>push</c> and <c>pull_request</c> payloads (GitHub-like; docs.gitea.com "Webhooks"). The PR head commit
/// is <c>pull_request.head.sha</c> — Coolify reads a top-level <c>head.sha</c> that Gitea does not send.
/// </summary>
public static class GiteaPayload
{
    public static WebhookEvent Parse(string eventName, JsonElement root)
    {
        var repository = GitHubPayload.Repository(root, GitProviders.Gitea, eventName);
        return eventName switch
        {
            "push" => GitHubPayload.Push(root, repository),
            // New commits on a PR arrive as "pull_request" with action "synchronized" (newer Gitea: event type "pull_request_sync").
            "pull_request" or "pull_request_sync" => PullRequest(root, repository),
            _ => repository,
        };
    }

    private static WebhookEvent PullRequest(JsonElement root, WebhookEvent repository)
    {
        var number = PayloadJson.PullRequestNumber(root.Integer("number") ?? root.Integer("pull_request", "number"));
        if (number == 0)
        {
            return repository with { Kind = WebhookEventKind.PullRequest, Problem = "The pull_request payload has no number." };
        }

        var headRepositoryId = root.Integer("pull_request", "head", "repo_id") ?? root.Integer("pull_request", "head", "repo", "id");
        var baseRepositoryId = root.Integer("pull_request", "base", "repo_id") ?? root.Integer("pull_request", "base", "repo", "id");
        return GitHubPayload.PullRequestFields(root, repository, number, "synchronized", headRepositoryId is null || headRepositoryId != baseRepositoryId);
    }
}
