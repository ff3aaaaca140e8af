using System.Text.Json;

namespace Slipway.Core.Webhooks;

/// <summary>
/// GitHub's <c>push</c> and <c>pull_request</c> payloads (docs.github.com "Webhook events and payloads"). Gitea sends
/// the same shapes with a few differences, so <see cref="GiteaPayload"/> reuses the push reading.
/// </summary>
public static class GitHubPayload
{
    public static WebhookEvent Parse(string eventName, JsonElement root, string provider = GitProviders.GitHub)
    {
        var repository = Repository(root, provider, eventName);
        return eventName switch
        {
            "push" => Push(root, repository),
            "pull_request" => PullRequest(root, repository),
            _ => repository,
        };
    }

    /// <summary>The event with only its repository known: what every event, supported or not, starts from.</summary>
    internal static WebhookEvent Repository(JsonElement root, string provider, string eventName) => new()
    {
        Provider = provider,
        Name = eventName,
        Action = root.Text("action"),
        RepositoryName = root.Text("repository", "full_name"),
        RepositoryUrls = PayloadJson.Urls(
            root.Text("repository", "clone_url"), root.Text("repository", "ssh_url"),
            root.Text("repository", "html_url"), root.Text("repository", "git_url")),
    };

    internal static WebhookEvent Push(JsonElement root, WebhookEvent repository)
    {
        var reference = root.Text("ref");
        if (reference is null)
        {
            return repository with { Kind = WebhookEventKind.Push, Problem = "The push payload has no ref." };
        }

        var after = root.Text("after");
        var branch = PayloadJson.Branch(reference);
        var commits = root.Items("commits").ToList();
        var deleted = root.Flag("deleted") || PayloadJson.IsZeroSha(after);
        return repository with
        {
            Kind = WebhookEventKind.Push,
            OtherRef = branch is null ? reference : null,
            Pushes = branch is null ? [] : [new BranchUpdate(branch, deleted ? null : after, root.Text("head_commit", "message"), deleted)],
            ChangedFiles = PayloadJson.Files(commits, "added", "modified", "removed"),
        };
    }

    private static WebhookEvent PullRequest(JsonElement root, WebhookEvent repository)
    {
        var number = PayloadJson.PullRequestNumber(root.Integer("number") ?? root.Integer("pull_request", "number"));
        if (number == 0)
        {
            return repository with { Kind = WebhookEventKind.PullRequest, Problem = "The pull_request payload has no number." };
        }

        // A fork is another repository: compare ids and full names. head.repo.fork alone is not enough — it is also
        // true for a branch PR inside a repository that is itself a fork — and head.repo is null when the fork is gone.
        var headRepository = root.Element("pull_request", "head", "repo");
        var isFork = headRepository is not { ValueKind: JsonValueKind.Object }
            || root.Integer("pull_request", "head", "repo", "id") != root.Integer("pull_request", "base", "repo", "id")
            || !string.Equals(root.Text("pull_request", "head", "repo", "full_name"), root.Text("pull_request", "base", "repo", "full_name"), StringComparison.OrdinalIgnoreCase);
        return PullRequestFields(root, repository, number, "synchronize", isFork);
    }

    /// <summary>
    /// The pull-request fields GitHub and Gitea share (Gitea's payload is GitHub's shape); they differ in the action
    /// that means "new commits" and in how a fork is recognised.
    /// </summary>
    internal static WebhookEvent PullRequestFields(JsonElement root, WebhookEvent repository, int number, string newCommitsAction, bool isFork) =>
        repository with
        {
            Kind = WebhookEventKind.PullRequest,
            PullRequestId = number,
            PullRequestChange = repository.Action switch
            {
                "opened" or "reopened" => PullRequestChange.Deploy,
                var action when action == newCommitsAction => PullRequestChange.Deploy,
                "closed" => PullRequestChange.Close,
                _ => PullRequestChange.Other,
            },
            PullRequestUrl = root.Text("pull_request", "html_url"),
            PullRequestTitle = root.Text("pull_request", "title"),
            BaseBranch = root.Text("pull_request", "base", "ref"),
            SourceBranch = root.Text("pull_request", "head", "ref"),
            HeadCommit = root.Text("pull_request", "head", "sha"),
            IsFork = isFork,
            // Both keep every PR's commits, forks included, under this ref of the base repository.
            SourceRef = $"refs/pull/{number}/head",
        };
}
