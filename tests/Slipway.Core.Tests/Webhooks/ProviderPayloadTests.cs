using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Core.Webhooks;
using Slipway.Testing.Webhooks;

namespace Slipway.Core.Tests.Webhooks;

/// <summary>Each provider's real-shaped payloads read into one event shape.</summary>
public sealed class ProviderPayloadTests
{
    private static WebhookEvent Parse(GitProvider provider, string eventName, JsonObject payload)
    {
        using var document = JsonDocument.Parse(payload.ToJsonString());
        return provider.Parse(eventName, document.RootElement);
    }

    [Theory]
    [InlineData(GitProviders.GitHub, "push", "github-push", "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", "Update the landing page", "https://github.com/octo-org/hello-web")]
    [InlineData(GitProviders.GitLab, "Push Hook", "gitlab-push", "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "Update the landing page\n", "https://gitlab.example.com/acme/platform/hello-web")]
    [InlineData(GitProviders.Gitea, "push", "gitea-push", "bffeb74224043ba2feb48d137756c8a9331c449a", "Update the landing page\n", "https://gitea.example.com/acme/hello-web")]
    [InlineData(GitProviders.Bitbucket, "repo:push", "bitbucket-repo-push", "709d658dc5b6d6afcd46049c2f332ee3f515a67d", "Update the landing page\n", "https://bitbucket.org/acme-team/hello-web")]
    public void Parse_Push_GivesBranchCommitMessageAndRepository(string providerName, string eventName, string file, string commit, string message, string repository)
    {
        var provider = GitProvider.All.Single(p => p.Name == providerName);

        var delivery = Parse(provider, eventName, WebhookPayloads.Load(file));

        Assert.Equal(WebhookEventKind.Push, delivery.Kind);
        Assert.Null(delivery.Problem);
        var push = Assert.Single(delivery.Pushes);
        Assert.Equal(("main", commit, message, false), (push.Branch, push.Commit, push.CommitMessage, push.Deleted));
        Assert.Contains(delivery.RepositoryUrls, u => RepositoryIdentity.SameRepository(u, repository));
    }

    [Fact]
    public void Parse_GitLabPush_ChangedFilesAreTheUnionOverAllCommits()
    {
        var delivery = Parse(GitProvider.GitLab, "Push Hook", WebhookPayloads.Load("gitlab-push"));

        Assert.Equal(["docs/intro.md", "index.html", "old.html"], delivery.ChangedFiles!.Order(StringComparer.Ordinal));
        Assert.Equal("acme/platform/hello-web", delivery.RepositoryName);
    }

    [Fact]
    public void Parse_BitbucketPush_ListsNoFiles() =>
        Assert.Null(Parse(GitProvider.Bitbucket, "repo:push", WebhookPayloads.Load("bitbucket-repo-push")).ChangedFiles);

    [Theory]
    [InlineData(GitProviders.GitHub, "pull_request", "github-pull_request", "ec26c3e57ca3a959ca5aad62de7213c562f8c821", "refs/pull/7/head", "https://github.com/octo-org/hello-web/pull/7")]
    [InlineData(GitProviders.GitLab, "Merge Request Hook", "gitlab-merge_request", "ec26c3e57ca3a959ca5aad62de7213c562f8c821", "refs/merge-requests/7/head", "https://gitlab.example.com/acme/platform/hello-web/-/merge_requests/7")]
    [InlineData(GitProviders.Gitea, "pull_request", "gitea-pull_request", "ec26c3e57ca3a959ca5aad62de7213c562f8c821", "refs/pull/7/head", "https://gitea.example.com/acme/hello-web/pulls/7")]
    [InlineData(GitProviders.Bitbucket, "pullrequest:created", "bitbucket-pullrequest-created", "ec26c3e57ca3", "refs/heads/pricing", "https://bitbucket.org/acme-team/hello-web/pull-requests/7")]
    public void Parse_PullRequestOpened_GivesNumberHeadBaseAndSourceRef(string providerName, string eventName, string file, string head, string sourceRef, string url)
    {
        var provider = GitProvider.All.Single(p => p.Name == providerName);

        var delivery = Parse(provider, eventName, WebhookPayloads.Load(file));

        Assert.Equal(WebhookEventKind.PullRequest, delivery.Kind);
        Assert.Equal((7, PullRequestChange.Deploy, "main", head, sourceRef, false), (delivery.PullRequestId, delivery.PullRequestChange, delivery.BaseBranch, delivery.HeadCommit, delivery.SourceRef, delivery.IsFork));
        Assert.Equal(url, delivery.PullRequestUrl);
        Assert.Equal("Add a pricing page", delivery.PullRequestTitle);
    }

    [Theory]
    [InlineData(GitProviders.GitHub, "pull_request", "github-pull_request", "action", "synchronize", PullRequestChange.Deploy)]
    [InlineData(GitProviders.GitHub, "pull_request", "github-pull_request", "action", "reopened", PullRequestChange.Deploy)]
    [InlineData(GitProviders.GitHub, "pull_request", "github-pull_request", "action", "closed", PullRequestChange.Close)]
    [InlineData(GitProviders.GitHub, "pull_request", "github-pull_request", "action", "labeled", PullRequestChange.Other)]
    [InlineData(GitProviders.GitLab, "Merge Request Hook", "gitlab-merge_request", "object_attributes.action", "update", PullRequestChange.Deploy)]
    [InlineData(GitProviders.GitLab, "Merge Request Hook", "gitlab-merge_request", "object_attributes.action", "merge", PullRequestChange.Close)]
    [InlineData(GitProviders.GitLab, "Merge Request Hook", "gitlab-merge_request", "object_attributes.action", "close", PullRequestChange.Close)]
    [InlineData(GitProviders.GitLab, "Merge Request Hook", "gitlab-merge_request", "object_attributes.action", "approved", PullRequestChange.Other)]
    [InlineData(GitProviders.Gitea, "pull_request", "gitea-pull_request", "action", "synchronized", PullRequestChange.Deploy)]
    [InlineData(GitProviders.Gitea, "pull_request", "gitea-pull_request", "action", "closed", PullRequestChange.Close)]
    public void Parse_PullRequestActions_MapToDeployCloseOrOther(string providerName, string eventName, string file, string path, string action, PullRequestChange expected)
    {
        var provider = GitProvider.All.Single(p => p.Name == providerName);

        var delivery = Parse(provider, eventName, WebhookPayloads.Load(file).Set(path, action));

        Assert.Equal(expected, delivery.PullRequestChange);
    }

    [Theory]
    [InlineData("pullrequest:updated", PullRequestChange.Deploy)]
    [InlineData("pullrequest:fulfilled", PullRequestChange.Close)]
    [InlineData("pullrequest:rejected", PullRequestChange.Close)]
    public void Parse_BitbucketPullRequestEvents_MapToDeployOrClose(string eventKey, PullRequestChange expected) =>
        Assert.Equal(expected, Parse(GitProvider.Bitbucket, eventKey, WebhookPayloads.Load("bitbucket-pullrequest-created")).PullRequestChange);

    [Fact]
    public void Parse_GitHubPullRequestFromAFork_IsAFork()
    {
        var payload = WebhookPayloads.Load("github-pull_request")
            .Set("pull_request.head.repo.id", 999)
            .Set("pull_request.head.repo.full_name", "mallory/hello-web")
            .Set("pull_request.head.repo.fork", true);

        Assert.True(Parse(GitProvider.GitHub, "pull_request", payload).IsFork);
    }

    [Fact]
    public void Parse_GitHubPullRequestWhoseForkWasDeleted_IsAFork() =>
        Assert.True(Parse(GitProvider.GitHub, "pull_request", WebhookPayloads.Load("github-pull_request").Set("pull_request.head.repo", null)).IsFork);

    [Fact]
    public void Parse_GitHubBranchPullRequestInARepositoryThatIsItselfAFork_IsNotAFork()
    {
        // head.repo.fork is true for every PR of a forked repository; only another repository makes a PR a fork's.
        var payload = WebhookPayloads.Load("github-pull_request").Set("pull_request.head.repo.fork", true).Set("pull_request.base.repo.fork", true);

        Assert.False(Parse(GitProvider.GitHub, "pull_request", payload).IsFork);
    }

    [Fact]
    public void Parse_ForksOfOtherProviders_AreForks()
    {
        Assert.True(Parse(GitProvider.GitLab, "Merge Request Hook", WebhookPayloads.Load("gitlab-merge_request").Set("object_attributes.source_project_id", 16)).IsFork);
        Assert.True(Parse(GitProvider.Gitea, "pull_request", WebhookPayloads.Load("gitea-pull_request").Set("pull_request.head.repo_id", 141)).IsFork);
        var bitbucket = Parse(GitProvider.Bitbucket, "pullrequest:created", WebhookPayloads.Load("bitbucket-pullrequest-created")
            .Set("pullrequest.source.repository.uuid", "{00000000-0000-4000-8000-00000000beef}"));
        Assert.True(bitbucket.IsFork);
        Assert.Null(bitbucket.SourceRef);
    }

    [Theory]
    [InlineData(250)]
    [InlineData(245)]
    public void Parse_BitbucketBranchTooLongForARef_HasNoSourceRef(int length)
    {
        var branch = "b" + new string('x', length - 1);

        var delivery = Parse(GitProvider.Bitbucket, "pullrequest:created", WebhookPayloads.Load("bitbucket-pullrequest-created").Set("pullrequest.source.branch.name", branch));

        Assert.Null(delivery.SourceRef);
        Assert.Equal(PullRequestChange.Deploy, delivery.PullRequestChange);
    }

    [Fact]
    public void Parse_BitbucketBranchThatFitsARef_IsTheSourceRef()
    {
        var branch = "b" + new string('x', 243);

        var delivery = Parse(GitProvider.Bitbucket, "pullrequest:created", WebhookPayloads.Load("bitbucket-pullrequest-created").Set("pullrequest.source.branch.name", branch));

        Assert.Equal("refs/heads/" + branch, delivery.SourceRef);
    }

    [Theory]
    [InlineData(GitProviders.GitHub, "ping", "github-ping")]
    [InlineData(GitProviders.GitHub, "issues", "github-push")]
    [InlineData(GitProviders.GitHub, "", "github-push")]
    [InlineData(GitProviders.Gitea, "create", "gitea-push")]
    [InlineData(GitProviders.Bitbucket, "repo:fork", "bitbucket-repo-push")]
    public void Parse_OtherEvents_AreUnsupportedButKeepTheRepository(string providerName, string eventName, string file)
    {
        var delivery = Parse(GitProvider.All.Single(p => p.Name == providerName), eventName, WebhookPayloads.Load(file));

        Assert.Equal(WebhookEventKind.Unsupported, delivery.Kind);
        Assert.NotEmpty(delivery.RepositoryUrls);
    }

    [Fact]
    public void Parse_GitLabTagPush_IsUnsupported() =>
        Assert.Equal(WebhookEventKind.Unsupported, Parse(GitProvider.GitLab, "Tag Push Hook", WebhookPayloads.Load("gitlab-push").Set("object_kind", "tag_push")).Kind);

    [Theory]
    [InlineData("refs/tags/v1.0.0")]
    [InlineData("refs/pull/7/merge")]
    public void Parse_PushOfANonBranchRef_HasNoBranchUpdate(string reference)
    {
        var delivery = Parse(GitProvider.GitHub, "push", WebhookPayloads.Load("github-push").Set("ref", reference));

        Assert.Empty(delivery.Pushes);
        Assert.Equal(reference, delivery.OtherRef);
    }

    [Fact]
    public void Parse_GitHubBranchDeletion_IsADeletedUpdate()
    {
        var payload = WebhookPayloads.Load("github-push").Set("deleted", true).Set("after", new string('0', 40)).Set("head_commit", null);

        var push = Assert.Single(Parse(GitProvider.GitHub, "push", payload).Pushes);

        Assert.True(push.Deleted);
        Assert.Null(push.Commit);
    }

    [Theory]
    [InlineData("{\"ref\": 42, \"after\": [], \"commits\": \"x\", \"repository\": {\"clone_url\": 7}}")]
    [InlineData("{\"ref\": \"refs/heads/main\", \"commits\": [1, null, {\"added\": [1, \"\\ud800\"]}], \"head_commit\": \"text\"}")]
    [InlineData("{}")]
    public void Parse_HostileShapes_NeverThrow(string json)
    {
        using var document = JsonDocument.Parse(json);

        foreach (var provider in GitProvider.All)
        {
            foreach (var eventName in new[] { "push", "pull_request", "Push Hook", "repo:push", "pullrequest:created" })
            {
                var delivery = provider.Parse(eventName, document.RootElement);
                Assert.NotNull(delivery);
            }
        }
    }

    [Fact]
    public void Parse_PushWithoutRef_ReportsAProblem() =>
        Assert.Equal("The push payload has no ref.", Parse(GitProvider.GitHub, "push", WebhookPayloads.Load("github-push").Set("ref", null)).Problem);
}
