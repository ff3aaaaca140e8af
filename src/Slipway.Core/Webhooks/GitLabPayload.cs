using System.Text.Json;

namespace Slipway.Core.Webhooks;

/// <summary>
/// GitLab's push and merge request payloads (docs.gitlab.com "Webhook events"). The event is the body's
/// <c>object_kind</c>; the merge request number is its <c>iid</c>, and its commits live under
/// <c>refs/merge-requests/IID/head</c> of the target project, forks included.
/// </summary>
public static class GitLabPayload
{
    public static WebhookEvent Parse(string eventHeader, JsonElement root)
    {
        var kind = root.Text("object_kind") ?? eventHeader;
        var repository = new WebhookEvent
        {
            Provider = GitProviders.GitLab,
            Name = kind,
            Action = root.Text("object_attributes", "action"),
            RepositoryName = root.Text("project", "path_with_namespace"),
            RepositoryUrls = PayloadJson.Urls(
                root.Text("project", "git_http_url"), root.Text("project", "git_ssh_url"), root.Text("project", "web_url"),
                root.Text("repository", "git_http_url"), root.Text("repository", "git_ssh_url"), root.Text("repository", "homepage")),
        };
        return kind switch
        {
            "push" => Push(root, repository),
            "merge_request" => MergeRequest(root, repository),
            _ => repository,
        };
    }

    private static WebhookEvent Push(JsonElement root, WebhookEvent repository)
    {
        var reference = root.Text("ref");
        if (reference is null)
        {
            return repository with { Kind = WebhookEventKind.Push, Problem = "The push payload has no ref." };
        }

        var after = root.Text("after");
        var commits = root.Items("commits").ToList();
        // The head commit is the one "after" names; GitLab lists at most 20 commits, oldest first.
        var head = commits.FirstOrDefault(c => c.Text("id") == after);
        var message = head.ValueKind == JsonValueKind.Object ? head.Text("message") : commits.LastOrDefault().Text("message");
        var branch = PayloadJson.Branch(reference);
        var deleted = PayloadJson.IsZeroSha(after);
        return repository with
        {
            Kind = WebhookEventKind.Push,
            OtherRef = branch is null ? reference : null,
            Pushes = branch is null ? [] : [new BranchUpdate(branch, deleted ? null : after, message, deleted)],
            ChangedFiles = PayloadJson.Files(commits, "added", "modified", "removed"),
        };
    }

    private static WebhookEvent MergeRequest(JsonElement root, WebhookEvent repository)
    {
        var number = PayloadJson.PullRequestNumber(root.Integer("object_attributes", "iid"));
        if (number == 0)
        {
            return repository with { Kind = WebhookEventKind.PullRequest, Problem = "The merge_request payload has no object_attributes.iid." };
        }

        var source = root.Integer("object_attributes", "source_project_id");
        var target = root.Integer("object_attributes", "target_project_id");
        return repository with
        {
            Kind = WebhookEventKind.PullRequest,
            PullRequestId = number,
            // Coolify's lists: GitLab says "open"/"reopen"/"update"/"close"/"merge"; the others are accepted as aliases.
            PullRequestChange = repository.Action switch
            {
                "open" or "opened" or "reopen" or "reopened" or "update" or "synchronize" => PullRequestChange.Deploy,
                "close" or "closed" or "merge" => PullRequestChange.Close,
                _ => PullRequestChange.Other,
            },
            PullRequestUrl = root.Text("object_attributes", "url"),
            PullRequestTitle = root.Text("object_attributes", "title"),
            BaseBranch = root.Text("object_attributes", "target_branch"),
            SourceBranch = root.Text("object_attributes", "source_branch"),
            HeadCommit = root.Text("object_attributes", "last_commit", "id"),
            HeadCommitMessage = root.Text("object_attributes", "last_commit", "message"),
            IsFork = source is null || source != target,
            SourceRef = $"refs/merge-requests/{number}/head",
        };
    }
}
