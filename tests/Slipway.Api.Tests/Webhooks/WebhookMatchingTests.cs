using System.Net;
using System.Text.Json.Nodes;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Webhooks;
using Slipway.Testing.Webhooks;

namespace Slipway.Api.Tests.Webhooks;

/// <summary>Which application a verified delivery is for, and whether it deploys: exact repository and branch, watch paths, skip markers.</summary>
public sealed class WebhookMatchingTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Push_ForASubstringLookalikeRepository_ReachesOnlyThatRepositorysApplication()
    {
        var name = "site-" + Guid.NewGuid().ToString("N")[..8];
        var real = await WebhookScenario.CreateAsync(factory, repositoryName: name);
        var lookalike = await WebhookScenario.CreateAsync(factory, repositoryName: name + "-evil");

        // The lookalike's owner signs a push for their own repository: it must not reach the real application...
        var own = await lookalike.PushAsync();
        // ...nor may a push that names the lookalike repository be verified with the real application's secret.
        var crossed = await lookalike.SendAsync(lookalike.PushEvent, lookalike.PushPayload(), secret: real.Secret);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Single(await lookalike.DeploymentsAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, crossed.StatusCode);
        Assert.Empty(await real.DeploymentsAsync());
        Assert.Empty(await real.DeliveriesAsync());
    }

    [Theory]
    [InlineData("octo-org/{0}-evil")]
    [InlineData("evil-octo-org/{0}")]
    [InlineData("octo-org/{0}/extra")]
    [InlineData("x/octo-org/{0}")]
    public async Task Push_NamingALookalikeOfTheRepository_IsRefusedWithTheApplicationsOwnSecret(string path)
    {
        var scenario = await WebhookScenario.CreateAsync(factory);
        var lookalike = string.Format(System.Globalization.CultureInfo.InvariantCulture, path, scenario.RepositoryName);
        var payload = scenario.PushPayload()
            .Set("repository.full_name", lookalike)
            .Set("repository.clone_url", $"https://github.com/{lookalike}.git")
            .Set("repository.ssh_url", $"git@github.com:{lookalike}.git")
            .Set("repository.html_url", $"https://github.com/{lookalike}")
            .Set("repository.git_url", $"git://github.com/{lookalike}.git");

        var response = await scenario.SendAsync(scenario.PushEvent, payload);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await scenario.DeploymentsAsync());
    }

    [Fact]
    public async Task Push_FromAnotherHostWithTheSamePath_IsRefused()
    {
        var scenario = await WebhookScenario.CreateAsync(factory);
        var payload = scenario.PushPayload();
        foreach (var field in new[] { "clone_url", "ssh_url", "html_url", "git_url" })
        {
            payload.Set($"repository.{field}", payload["repository"]![field]!.GetValue<string>().Replace("github.com", "github.com.evil.example", StringComparison.Ordinal));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await scenario.SendAsync(scenario.PushEvent, payload)).StatusCode);
        Assert.Empty(await scenario.DeploymentsAsync());
    }

    [Theory]
    [InlineData("git@github.com:Octo-Org/{0}.git")]
    [InlineData("ssh://git@github.com:22/octo-org/{0}")]
    [InlineData("https://GITHUB.com/octo-org/{0}/")]
    public async Task Push_ToAnApplicationWhoseUrlIsSpelledDifferently_Deploys(string spelling)
    {
        var scenario = await WebhookScenario.CreateAsync(factory);
        await using (var db = factory.CreateDbContext())
        {
            db.Applications.Single(a => a.Id == scenario.Application.Id).GitRepository =
                string.Format(System.Globalization.CultureInfo.InvariantCulture, spelling, scenario.RepositoryName);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(HttpStatusCode.OK, (await scenario.PushAsync()).StatusCode);
        Assert.Single(await scenario.DeploymentsAsync());
    }

    [Theory]
    [InlineData("refs/heads/develop", "Push to 'develop', not to the tracked branch 'main'; ignored.")]
    [InlineData("refs/heads/main-2", "Push to 'main-2', not to the tracked branch 'main'; ignored.")]
    [InlineData("refs/tags/v1.0.0", "Push to 'refs/tags/v1.0.0', not to the tracked branch 'main'; ignored.")]
    public async Task Push_ToAnotherRef_IsIgnoredWith200(string reference, string message)
    {
        var scenario = await WebhookScenario.CreateAsync(factory);

        var response = await scenario.SendAsync(scenario.PushEvent, scenario.PushPayload().Set("ref", reference));

        var body = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ignored", body.GetProperty("results")[0].GetProperty("result").GetString());
        Assert.Equal(message, body.GetProperty("message").GetString());
        Assert.Empty(await scenario.DeploymentsAsync());
    }

    [Fact]
    public async Task Push_WhoseFilesMissTheWatchPaths_IsIgnoredAndOneThatHitsThemDeploys()
    {
        var scenario = await WebhookScenario.CreateAsync(factory, configure: a => a.WatchPaths = "src/**\n!src/**/*.md");
        var docsOnly = scenario.PushPayload().Set("commits.0.modified", new JsonArray("README.md", "src/notes.md"));
        var code = scenario.PushPayload().Set("commits.0.modified", new JsonArray("README.md", "src/app.js"));

        var ignored = await (await scenario.SendAsync(scenario.PushEvent, docsOnly)).JsonAsync();
        var deployed = await scenario.SendAsync(scenario.PushEvent, code);

        Assert.Contains("do not match watch paths", ignored.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, deployed.StatusCode);
        Assert.Single(await scenario.DeploymentsAsync());
    }

    [Theory]
    [InlineData(GitProviders.GitHub, "head_commit.message")]
    [InlineData(GitProviders.GitLab, "commits.1.message")]
    [InlineData(GitProviders.Gitea, "head_commit.message")]
    [InlineData(GitProviders.Bitbucket, "push.changes.0.new.target.message")]
    public async Task Push_WithSkipMarkerInHeadCommit_IsSkipped(string provider, string messagePath)
    {
        var scenario = await WebhookScenario.CreateAsync(factory, provider);

        var response = await scenario.SendAsync(scenario.PushEvent, scenario.PushPayload().Set(messagePath, "Fix a typo [skip deploy]"));

        Assert.Contains("[skip deploy]", (await response.JsonAsync()).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(await scenario.DeploymentsAsync());
    }

    [Fact]
    public async Task Push_WithAutoDeployDisabled_IsIgnored()
    {
        var scenario = await WebhookScenario.CreateAsync(factory, configure: a => a.IsAutoDeployEnabled = false);

        Assert.Equal(HttpStatusCode.OK, (await scenario.PushAsync()).StatusCode);
        Assert.Empty(await scenario.DeploymentsAsync());
    }

    [Fact]
    public async Task Push_ForTwoApplicationsOfOneRepository_DeploysOnlyTheOneTrackingThatBranch()
    {
        var main = await WebhookScenario.CreateAsync(factory);
        var staging = await WebhookScenario.CreateAsync(factory, repositoryName: main.RepositoryName, tenant: main.Tenant, configure: a =>
        {
            a.GitBranch = "staging";
            a.ProtectedWebhookSecretGithub = main.Application.ProtectedWebhookSecretGithub;
        });

        var body = await (await main.PushAsync()).JsonAsync();

        Assert.Equal(2, body.GetProperty("results").GetArrayLength());
        Assert.Single(await main.DeploymentsAsync());
        Assert.Empty(await staging.DeploymentsAsync());
        Assert.Equal("ignored", Assert.Single(await staging.DeliveriesAsync()).Result);
    }
}
