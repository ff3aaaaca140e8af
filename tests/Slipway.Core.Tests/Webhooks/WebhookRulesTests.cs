using Slipway.Core.Applications;
using Slipway.Core.Webhooks;

namespace Slipway.Core.Tests.Webhooks;

public sealed class WebhookRulesTests
{
    private const string Sha = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";

    private static Application App(Action<Application>? configure = null)
    {
        var application = new Application { Uuid = "app", Name = "web", GitRepository = "https://github.com/octo-org/hello-web", GitBranch = "main" };
        configure?.Invoke(application);
        return application;
    }

    private static WebhookEvent Push(string branch = "main", string? commit = Sha, string? message = "Update the page", IReadOnlyList<string>? files = null, bool deleted = false) => new()
    {
        Provider = GitProviders.GitHub,
        Name = "push",
        Kind = WebhookEventKind.Push,
        Pushes = [new BranchUpdate(branch, commit, message, deleted)],
        ChangedFiles = files ?? ["index.html"],
    };

    private static WebhookEvent PullRequest(PullRequestChange change = PullRequestChange.Deploy, string baseBranch = "main", bool fork = false, string title = "Add pricing") => new()
    {
        Provider = GitProviders.GitHub,
        Name = "pull_request",
        Kind = WebhookEventKind.PullRequest,
        Action = change == PullRequestChange.Other ? "labeled" : "opened",
        PullRequestId = 7,
        PullRequestChange = change,
        BaseBranch = baseBranch,
        HeadCommit = Sha,
        PullRequestTitle = title,
        IsFork = fork,
        SourceRef = "refs/pull/7/head",
    };

    [Fact]
    public void Decide_PushToTrackedBranch_DeploysThatCommit()
    {
        var decision = WebhookRules.Decide(App(), Push());

        Assert.Equal((WebhookAction.DeployBranch, Sha, "Update the page"), (decision.Action, decision.Commit, decision.CommitMessage));
    }

    [Theory]
    [InlineData("develop")]
    [InlineData("Main")]
    [InlineData("main2")]
    [InlineData("feature/main")]
    public void Decide_PushToAnotherBranch_IsIgnored(string branch)
    {
        var decision = WebhookRules.Decide(App(), Push(branch));

        Assert.Equal(WebhookAction.Ignore, decision.Action);
        Assert.Contains("not to the tracked branch 'main'", decision.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Fix typo [skip ci]", "[skip ci]")]
    [InlineData("[SKIP DEPLOY] docs only", "[skip deploy]")]
    [InlineData("wip [ci skip]", "[ci skip]")]
    [InlineData("notes [skip cd]", "[skip cd]")]
    public void Decide_SkipMarkerInHeadCommit_Skips(string message, string marker)
    {
        var decision = WebhookRules.Decide(App(), Push(message: message));

        Assert.Equal(WebhookAction.Ignore, decision.Action);
        Assert.Contains(marker, decision.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("skip ci")]
    [InlineData("[skip-ci]")]
    public void Decide_TextThatIsNotAMarker_Deploys(string message) =>
        Assert.Equal(WebhookAction.DeployBranch, WebhookRules.Decide(App(), Push(message: message)).Action);

    [Fact]
    public void Decide_ChangedFilesOutsideWatchPaths_IsIgnoredWithTheFiles()
    {
        var decision = WebhookRules.Decide(App(a => a.WatchPaths = "src/**\n!src/**/*.md"), Push(files: ["README.md", "src/notes.md"]));

        Assert.Equal(WebhookAction.Ignore, decision.Action);
        Assert.Contains("do not match watch paths", decision.Message, StringComparison.Ordinal);
        Assert.Contains("README.md, src/notes.md", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_OneChangedFileInsideWatchPaths_Deploys() =>
        Assert.Equal(WebhookAction.DeployBranch, WebhookRules.Decide(App(a => a.WatchPaths = "src/**"), Push(files: ["README.md", "src/app.js"])).Action);

    [Fact]
    public void Decide_WatchPathsButProviderListsNoFiles_DeploysAndSaysSo()
    {
        var push = Push() with { ChangedFiles = null };

        var decision = WebhookRules.Decide(App(a => a.WatchPaths = "src/**"), push);

        Assert.Equal(WebhookAction.DeployBranch, decision.Action);
        Assert.Contains("Watch paths not applied", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_AutoDeployDisabled_IgnoresPushes() =>
        Assert.Contains("is_auto_deploy_enabled", WebhookRules.Decide(App(a => a.IsAutoDeployEnabled = false), Push()).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(null)]
    [InlineData("HEAD")]
    [InlineData("main")]
    [InlineData("0d1a26e; rm -rf /")]
    [InlineData("--upload-pack=evil")]
    [InlineData("abc12")]
    public void Decide_PushWithoutAValidCommit_IsIgnored(string? commit) =>
        Assert.Equal(WebhookAction.Ignore, WebhookRules.Decide(App(), Push(commit: commit)).Action);

    [Fact]
    public void Decide_DeletedBranch_IsIgnored() =>
        Assert.Contains("deleted", WebhookRules.Decide(App(), Push(commit: null, deleted: true)).Message, StringComparison.Ordinal);

    [Fact]
    public void Decide_UnsupportedEvent_IsIgnoredWithItsName() =>
        Assert.Equal("Event 'ping' is not supported; ignored.", WebhookRules.Decide(App(), new WebhookEvent { Provider = "github", Name = "ping" }).Message);

    [Fact]
    public void Decide_PullRequestOpened_DeploysAPreviewWhenEnabled()
    {
        var decision = WebhookRules.Decide(App(a => a.IsPreviewDeploymentsEnabled = true), PullRequest());

        Assert.Equal((WebhookAction.DeployPreview, Sha), (decision.Action, decision.Commit));
    }

    [Fact]
    public void Decide_PullRequestWithPreviewsDisabled_IsIgnored() =>
        Assert.Contains("is_preview_deployments_enabled", WebhookRules.Decide(App(), PullRequest()).Message, StringComparison.Ordinal);

    [Fact]
    public void Decide_PullRequestFromAFork_IsNotDeployedUnlessPublicPrsAreAllowed()
    {
        var refused = WebhookRules.Decide(App(a => a.IsPreviewDeploymentsEnabled = true), PullRequest(fork: true));
        var allowed = WebhookRules.Decide(App(a => { a.IsPreviewDeploymentsEnabled = true; a.IsPrDeploymentsPublicEnabled = true; }), PullRequest(fork: true));

        Assert.Equal(WebhookAction.Ignore, refused.Action);
        Assert.Contains("fork", refused.Message, StringComparison.Ordinal);
        Assert.Equal(WebhookAction.DeployPreview, allowed.Action);
    }

    [Fact]
    public void Decide_PullRequestIntoAnotherBranch_IsIgnored() =>
        Assert.Equal(WebhookAction.Ignore, WebhookRules.Decide(App(a => a.IsPreviewDeploymentsEnabled = true), PullRequest(baseBranch: "develop")).Action);

    [Fact]
    public void Decide_PullRequestClosed_RemovesThePreviewEvenWithPreviewsDisabled() =>
        Assert.Equal(WebhookAction.ClosePreview, WebhookRules.Decide(App(), PullRequest(PullRequestChange.Close)).Action);

    [Fact]
    public void Decide_OtherPullRequestAction_IsIgnored() =>
        Assert.Contains("'labeled'", WebhookRules.Decide(App(a => a.IsPreviewDeploymentsEnabled = true), PullRequest(PullRequestChange.Other)).Message, StringComparison.Ordinal);

    [Fact]
    public void Decide_SkipMarkerInPullRequestTitle_Skips() =>
        Assert.Equal(WebhookAction.Ignore, WebhookRules.Decide(App(a => a.IsPreviewDeploymentsEnabled = true), PullRequest(title: "Docs [skip deploy]")).Action);

    [Fact]
    public void Decide_UpperCaseCommit_IsDeployedLowerCase() =>
        Assert.Equal(Sha, WebhookRules.Decide(App(), Push(commit: Sha.ToUpperInvariant())).Commit);
}
