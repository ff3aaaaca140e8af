namespace Slipway.Core.Webhooks;

public enum WebhookEventKind
{
    /// <summary>An event Slipway does not act on (ping, issues, tags...): answered "ignored".</summary>
    Unsupported,
    Push,
    PullRequest,
}

public enum PullRequestChange
{
    /// <summary>Opened, reopened or new commits: (re)deploy the preview.</summary>
    Deploy,

    /// <summary>Closed or merged: remove the preview.</summary>
    Close,

    /// <summary>Anything else (labels, reviews, edits): nothing to do.</summary>
    Other,
}

/// <summary>One branch a push moved: where it points now and that commit's message. A deleted branch has no commit.</summary>
public sealed record BranchUpdate(string Branch, string? Commit, string? CommitMessage, bool Deleted);

/// <summary>
/// What a provider's payload says, in one shape for all four providers: which repository, and either the
/// branches a push moved (with the files it changed, when the provider lists them) or a pull request's change.
/// </summary>
public sealed record WebhookEvent
{
    public required string Provider { get; init; }

    /// <summary>The provider's event name, as its header (or GitLab's <c>object_kind</c>) gives it.</summary>
    public required string Name { get; init; }

    public WebhookEventKind Kind { get; init; }
    public string? Action { get; init; }

    /// <summary>Every URL the payload gives for the repository (https, ssh, web): an application matches any of them.</summary>
    public IReadOnlyList<string> RepositoryUrls { get; init; } = [];

    /// <summary>The repository as the payload names it (full name or URL), for the delivery record.</summary>
    public string? RepositoryName { get; init; }

    /// <summary>A supported event whose payload lacks what it must have (a push without <c>ref</c>, a PR without a number).</summary>
    public string? Problem { get; init; }

    public IReadOnlyList<BranchUpdate> Pushes { get; init; } = [];

    /// <summary>A push's added, modified and removed files over all its commits; null when the provider does not list them (Bitbucket).</summary>
    public IReadOnlyList<string>? ChangedFiles { get; init; }

    /// <summary>The pushed ref when it is not a branch (a tag), for the "ignored" message.</summary>
    public string? OtherRef { get; init; }

    public int PullRequestId { get; init; }
    public PullRequestChange PullRequestChange { get; init; }
    public string? PullRequestUrl { get; init; }
    public string? PullRequestTitle { get; init; }

    /// <summary>The branch the pull request merges into: it must be the application's branch.</summary>
    public string? BaseBranch { get; init; }

    public string? SourceBranch { get; init; }
    public string? HeadCommit { get; init; }
    public string? HeadCommitMessage { get; init; }

    /// <summary>The pull request comes from another repository (a fork).</summary>
    public bool IsFork { get; init; }

    /// <summary>The ref of the base repository that holds the PR's commits, or null when there is none (a Bitbucket fork).</summary>
    public string? SourceRef { get; init; }

    /// <summary>The branch for the delivery record: a push's first branch, or the pull request's base.</summary>
    public string? RecordedBranch => Kind == WebhookEventKind.PullRequest ? BaseBranch : Pushes.Count > 0 ? Pushes[0].Branch : null;

    public string? RecordedCommit => Kind == WebhookEventKind.PullRequest ? HeadCommit : Pushes.Count > 0 ? Pushes[0].Commit : null;
}
