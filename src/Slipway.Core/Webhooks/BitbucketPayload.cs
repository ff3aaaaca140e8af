using System.Text.Json;
using Slipway.Core.Validation;

namespace Slipway.Core.Webhooks;

/// <summary>
/// Bitbucket Cloud's <c>repo:push</c> and <c>pullrequest:*</c> payloads (support.atlassian.com "Event payloads").
/// A push can move several branches at once and lists no files, so watch paths cannot apply. Bitbucket keeps no
/// PR refs: a PR's commits are fetched from its source branch, which only exists in the base repository for
/// same-repository PRs (a fork's commits cannot be fetched from the base repository).
/// </summary>
public static class BitbucketPayload
{
    public static WebhookEvent Parse(string eventKey, JsonElement root)
    {
        var repository = new WebhookEvent
        {
            Provider = GitProviders.Bitbucket,
            Name = eventKey,
            RepositoryName = root.Text("repository", "full_name"),
            RepositoryUrls = PayloadJson.Urls(root.Text("repository", "links", "html", "href")),
        };
        return eventKey switch
        {
            "repo:push" => Push(root, repository),
            "pullrequest:created" or "pullrequest:updated" or "pullrequest:fulfilled" or "pullrequest:rejected" => PullRequest(eventKey, root, repository),
            _ => repository,
        };
    }

    private static WebhookEvent Push(JsonElement root, WebhookEvent repository)
    {
        var updates = new List<BranchUpdate>();
        foreach (var change in root.Items("push", "changes"))
        {
            var moved = change.Element("new") is { ValueKind: JsonValueKind.Object };
            var type = moved ? change.Text("new", "type") : change.Text("old", "type");
            var name = moved ? change.Text("new", "name") : change.Text("old", "name");
            if (type == "branch" && name is not null)
            {
                updates.Add(moved
                    ? new BranchUpdate(name, change.Text("new", "target", "hash"), change.Text("new", "target", "message"), Deleted: false)
                    : new BranchUpdate(name, null, null, Deleted: true));
            }
        }

        return repository with { Kind = WebhookEventKind.Push, Pushes = updates, ChangedFiles = null };
    }

    private static WebhookEvent PullRequest(string eventKey, JsonElement root, WebhookEvent repository)
    {
        var number = PayloadJson.PullRequestNumber(root.Integer("pullrequest", "id"));
        if (number == 0)
        {
            return repository with { Kind = WebhookEventKind.PullRequest, Problem = "The pullrequest payload has no id." };
        }

        var sourceRepository = root.Text("pullrequest", "source", "repository", "uuid") ?? root.Text("pullrequest", "source", "repository", "full_name");
        var targetRepository = root.Text("pullrequest", "destination", "repository", "uuid") ?? root.Text("pullrequest", "destination", "repository", "full_name");
        var isFork = sourceRepository is null || !string.Equals(sourceRepository, targetRepository, StringComparison.OrdinalIgnoreCase);
        var sourceBranch = root.Text("pullrequest", "source", "branch", "name");
        var sourceRef = !isFork && GitRules.CheckBranch(sourceBranch) is null ? $"refs/heads/{sourceBranch}" : null;
        return repository with
        {
            Kind = WebhookEventKind.PullRequest,
            Action = eventKey["pullrequest:".Length..],
            PullRequestId = number,
            PullRequestChange = eventKey is "pullrequest:created" or "pullrequest:updated" ? PullRequestChange.Deploy : PullRequestChange.Close,
            PullRequestUrl = root.Text("pullrequest", "links", "html", "href"),
            PullRequestTitle = root.Text("pullrequest", "title"),
            BaseBranch = root.Text("pullrequest", "destination", "branch", "name"),
            SourceBranch = sourceBranch,
            // Bitbucket sends an abbreviated hash here; git resolves it once the source branch is fetched.
            HeadCommit = root.Text("pullrequest", "source", "commit", "hash"),
            IsFork = isFork,
            // Kept only when it passes the engine's ref check (255 characters, no '+'), which the preview's column matches:
            // a longer branch would fail every deployment and overflow the column; the commit is fetched without it.
            SourceRef = GitRules.CheckCommit(sourceRef) is null ? sourceRef : null,
        };
    }
}
