using System.Text.Json.Nodes;
using Slipway.Core.Webhooks;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;
using Slipway.Testing.Webhooks;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// Git webhooks end to end: commits pushed to a local bare repository (the stand-in for the git host), the
/// provider's delivery signed and posted to the real receiver, the engine building and running it through the
/// real Docker engine. The payloads name only that repository's <c>file://</c> URL.
/// </summary>
public sealed class WebhookDeploymentTests(EngineHost host) : IClassFixture<EngineHost>
{
    private const string Secret = "whsec-end-to-end-3f9c1a";

    /// <summary>Serves <c>index.html</c> from the repository, plus its build and run time variables on the side.</summary>
    private const string PreviewDockerfile = """
        FROM slipway-test/busybox:latest
        ARG GREETING
        COPY index.html /www/index.html
        RUN echo "$GREETING" > /www/greeting.txt
        CMD ["sh", "-c", "echo \"$SECRET_TOKEN\" > /www/secret.txt; exec httpd -f -p \"$PORT\" -h /www"]
        """;

    [Fact]
    public async Task Push_SignedDeliveryOfANewCommit_DeploysItAndTheContainerServesIt()
    {
        using var origin = await GitRepository.CreateBareAsync();
        using var work = await origin.CloneAsync();
        var first = await work.Write("index.html", "<h1>v1</h1>").CommitAsync("First version");
        await work.PushAsync("HEAD:refs/heads/main");
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateStaticSiteAsync(origin, port);
        await host.PatchApplicationAsync(app, new { manual_webhook_secret_github = Secret });

        var deployed = await host.WaitAsync(EngineHost.QueuedDeployment(await host.DeliverAsync(GitProviders.GitHub, "push", PushPayload(origin, first, "First version"), Secret)));
        Assert.Equal("finished", EngineHost.Status(deployed));
        Assert.Equal("<h1>v1</h1>", await EngineHost.FetchAsync(port));

        var second = await work.Write("index.html", "<h1>v2</h1>").CommitAsync("Second version: a new landing page");
        await work.PushAsync("HEAD:refs/heads/main");
        var delivery = await host.DeliverAsync(GitProviders.GitHub, "push", PushPayload(origin, second, "Second version: a new landing page").Set("before", first), Secret);

        var redeployed = await host.WaitAsync(EngineHost.QueuedDeployment(delivery));
        Assert.Equal(("finished", second, "Second version: a new landing page"), (EngineHost.Status(redeployed), Text(redeployed, "commit"), Text(redeployed, "commit_message")));
        Assert.True(redeployed["is_webhook"]!.GetValue<bool>());
        Assert.Equal("<h1>v2</h1>", await EngineHost.FetchAsync(port));
        Assert.Single(await Docker.ContainersAsync(app));

        var third = await work.Write("index.html", "<h1>forged</h1>").CommitAsync("Not delivered by the provider");
        await work.PushAsync("HEAD:refs/heads/main");
        var forged = await host.DeliverAsync(GitProviders.GitHub, "push", PushPayload(origin, third, "Not delivered by the provider"), "a-guessed-secret");
        Assert.Equal(401, forged.Status);
        Assert.StartsWith("Invalid signature", Text(forged.Body, "message"), StringComparison.Ordinal);
        Assert.Equal(2, (await host.DeploymentRowsAsync(app)).Count);
        Assert.Equal("<h1>v2</h1>", await EngineHost.FetchAsync(port));

        // The second push, captured and sent again with a new delivery id (its signature still valid): the branch has
        // moved on to the third commit since, so git ls-remote at delivery time shows it is stale, and nothing is queued.
        var replayed = await host.DeliverAsync(GitProviders.GitHub, "push", PushPayload(origin, second, "Second version: a new landing page"), Secret);
        var stale = replayed.Body["results"]!.AsArray().Single()!;
        Assert.True(replayed.Status == 200 && Text(stale, "result") == "stale", replayed.Body.ToJsonString());
        Assert.Equal($"Commit {second[..12]} is no longer the head of 'main' (the git host says {third[..12]}): an old or replayed push deploys nothing.", Text(stale, "message"));
        Assert.Equal(2, (await host.DeploymentRowsAsync(app)).Count);

        var deliveries = await host.GetAsync($"/api/v1/applications/{app}/webhook-deliveries");
        (string, string?)[] expected = [("stale", null), ("queued", Text(redeployed, "deployment_uuid")), ("queued", Text(deployed, "deployment_uuid"))];
        Assert.Equal(
            expected,
            deliveries["deliveries"]!.AsArray().Select(d => (Text(d!, "result"), d!["deployment_uuids"]!.AsArray().SingleOrDefault()?.GetValue<string>())));
        var refused = await host.GetAsync($"/api/v1/applications/{app}/webhook-deliveries/refused");
        Assert.Equal(["unauthorized"], refused["deliveries"]!.AsArray().Select(d => Text(d!, "result")));
    }

    [Fact]
    public async Task PullRequest_OpenedUpdatedAndClosed_ServesAPreviewOnItsOwnPortAndLeavesNoContainerOrImage()
    {
        using var origin = await GitRepository.CreateBareAsync();
        using var work = await origin.CloneAsync();
        await work.Write("Dockerfile", PreviewDockerfile).Write("index.html", "<h1>main</h1>").CommitAsync("The site");
        await work.PushAsync("HEAD:refs/heads/main");
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateDockerfileAppAsync(origin, port);
        await host.PatchApplicationAsync(app, new { manual_webhook_secret_github = Secret, is_preview_deployments_enabled = true });
        await host.AddVariableAsync(app, "GREETING", "built from the application's variables", buildtime: true, runtime: false);
        await host.AddVariableAsync(app, "SECRET_TOKEN", "production-token");
        await AddPreviewVariableAsync(app, "SECRET_TOKEN", "preview-token");
        // A locked value is never given to a preview, even one marked is_preview.
        await AddPreviewVariableAsync(app, "GREETING", "a locked preview value", buildtime: true, locked: true);
        Assert.Equal("finished", EngineHost.Status(await host.WaitAsync(await host.DeployAsync(app))));

        await work.GitAsync("checkout", "-q", "-b", "pricing");
        var opened = await work.Write("index.html", "<h1>PR 7: pricing</h1>").CommitAsync("Add a pricing page");
        // GitHub keeps every pull request's head under refs/pull/N/head of the base repository.
        await work.PushAsync("HEAD:refs/heads/pricing", "HEAD:refs/pull/7/head");
        var deployment = await host.WaitAsync(EngineHost.QueuedDeployment(await DeliverPullRequestAsync(origin, "opened", opened)));

        Assert.True(EngineHost.Status(deployment) == "finished", EngineHost.VisibleLog(deployment));
        Assert.Equal((7, "github", opened, true), (deployment["pull_request_id"]!.GetValue<int>(), Text(deployment, "git_type"), Text(deployment, "commit"), deployment["is_webhook"]!.GetValue<bool>()));
        Assert.EndsWith($"/deployment/{Text(deployment, "deployment_uuid")}", Text(deployment, "deployment_url"), StringComparison.Ordinal);
        var preview = Assert.Single((await host.GetAsync($"/api/v1/applications/{app}/previews")).AsArray())!;
        var previewPort = preview["port"]!.GetValue<int>();
        Assert.NotEqual(port, previewPort);
        Assert.Equal("<h1>PR 7: pricing</h1>", await EngineHost.FetchAsync(previewPort));
        // Only the preview's own unlocked variables: production's SECRET_TOKEN and build-time GREETING never reach a
        // pull request, nor does the locked preview GREETING.
        Assert.Equal("preview-token", (await EngineHost.FetchAsync(previewPort, "/secret.txt"))?.Trim());
        Assert.Equal(string.Empty, (await EngineHost.FetchAsync(previewPort, "/greeting.txt"))?.Trim());
        Assert.Contains("Locked variables are never given to previews; left out: GREETING.", EngineHost.VisibleLog(deployment), StringComparison.Ordinal);
        Assert.Contains("Build network: none (a preview never builds on the host network and the engine has no default bridge network).", EngineHost.VisibleLog(deployment), StringComparison.Ordinal);
        Assert.Contains(($"{app}-pr-7", "running"), await Docker.ContainersAsync(app));
        Assert.Equal("<h1>main</h1>", await EngineHost.FetchAsync(port));
        Assert.Equal("production-token", (await EngineHost.FetchAsync(port, "/secret.txt"))?.Trim());
        Assert.Equal("built from the application's variables", (await EngineHost.FetchAsync(port, "/greeting.txt"))?.Trim());

        var updated = await work.Write("index.html", "<h1>PR 7: pricing, reviewed</h1>").CommitAsync("Address review comments");
        await work.PushAsync("HEAD:refs/heads/pricing", "HEAD:refs/pull/7/head");
        var redeployed = await host.WaitAsync(EngineHost.QueuedDeployment(await DeliverPullRequestAsync(origin, "synchronize", updated)));

        Assert.True(EngineHost.Status(redeployed) == "finished", EngineHost.VisibleLog(redeployed));
        Assert.Equal(updated, Text(redeployed, "commit"));
        Assert.Equal("<h1>PR 7: pricing, reviewed</h1>", await EngineHost.FetchAsync(previewPort));
        Assert.Single(await Docker.ContainersAsync(app), c => c.Name.StartsWith($"{app}-pr-7", StringComparison.Ordinal));
        Assert.Contains(await Docker.ImagesAsync(app), i => i.StartsWith($"{app}-pr-7:", StringComparison.Ordinal));

        // POST /deploy?pr=N redeploys the existing preview at the pull request's current head, resolved from its ref.
        var pushedQuietly = await work.Write("index.html", "<h1>PR 7: redeployed through the API</h1>").CommitAsync("Pushed while the webhook was off");
        await work.PushAsync("HEAD:refs/heads/pricing", "HEAD:refs/pull/7/head");
        var viaApi = await host.WaitAsync(await DeployPreviewAsync(app, 7));
        Assert.True(EngineHost.Status(viaApi) == "finished", EngineHost.VisibleLog(viaApi));
        Assert.Equal((7, pushedQuietly, true), (viaApi["pull_request_id"]!.GetValue<int>(), Text(viaApi, "commit"), viaApi["is_api"]!.GetValue<bool>()));
        Assert.Equal("<h1>PR 7: redeployed through the API</h1>", await EngineHost.FetchAsync(previewPort));

        var closed = await DeliverPullRequestAsync(origin, "closed", pushedQuietly);

        Assert.True(closed.Status == 200 && Text(closed.Body["results"]![0]!, "result") == "closed", closed.Body.ToJsonString());
        Assert.Empty((await host.GetAsync($"/api/v1/applications/{app}/previews")).AsArray());
        var (_, previewContainers) = await Docker.RunAsync("ps", "-a", "--filter", $"label=slipway.application={app}", "--filter", "label=slipway.pull-request=7", "--format", "{{.Names}}");
        Assert.Equal(string.Empty, previewContainers.Trim());
        Assert.DoesNotContain(await Docker.ImagesAsync(app), i => i.StartsWith($"{app}-pr-7", StringComparison.Ordinal));
        var (_, previewImages) = await Docker.RunAsync("image", "ls", $"{app}-pr-7", "--format", "{{.Repository}}:{{.Tag}}");
        Assert.Equal(string.Empty, previewImages.Trim());
        foreach (var commit in new[] { opened, updated, pushedQuietly })
        {
            // -a: untagged and intermediate images built from the pull request's commits count as left behind too.
            var (_, built) = await Docker.RunAsync("image", "ls", "-a", "--filter", $"label=slipway.application={app}", "--filter", $"label=slipway.commit={commit}", "--format", "{{.ID}}");
            Assert.Equal(string.Empty, built.Trim());
        }

        Assert.Null(await EngineHost.FetchAsync(previewPort));
        var production = Assert.Single(await Docker.ContainersAsync(app));
        Assert.Equal("running", production.State);
        Assert.DoesNotContain("-pr-", production.Name, StringComparison.Ordinal);
        Assert.Equal("<h1>main</h1>", await EngineHost.FetchAsync(port));
    }

    [Fact]
    public async Task PullRequest_ClosedWhileItsPreviewBuilds_CancelsTheBuildAndLeavesNothing()
    {
        using var origin = await GitRepository.CreateBareAsync();
        using var work = await origin.CloneAsync();
        await work.Write("README.md", "main").CommitAsync("Main branch");
        await work.PushAsync("HEAD:refs/heads/main");
        var app = await host.CreateDockerfileAppAsync(origin, SlipwayBinary.FreeLoopbackPort());
        await host.PatchApplicationAsync(app, new { manual_webhook_secret_github = Secret, is_preview_deployments_enabled = true });
        var marker = "pr-closed-" + Guid.NewGuid().ToString("N");
        await work.GitAsync("checkout", "-q", "-b", "slow");
        var head = await work.Write("Dockerfile", TestApps.SlowDockerfile(60, marker)).CommitAsync("A slow build");
        await work.PushAsync("HEAD:refs/heads/slow", "HEAD:refs/pull/7/head");
        var building = EngineHost.QueuedDeployment(await DeliverPullRequestAsync(origin, "opened", head));
        await host.WaitForLogLineAsync(building, $"{marker}: build started");

        var closed = await DeliverPullRequestAsync(origin, "closed", head);

        var result = closed.Body["results"]![0]!;
        Assert.True(closed.Status == 200 && Text(result, "result") == "closed", closed.Body.ToJsonString());
        Assert.Equal(building, result["deployment_uuids"]![0]!.GetValue<string>());
        var ended = await host.WaitUntilAsync(building, d => d["current_process_id"] is null, "the build to stop", TimeSpan.FromSeconds(30));
        Assert.Equal("cancelled-by-user", EngineHost.Status(ended));
        Assert.Contains("Deployment cancelled: Pull request closed.", EngineHost.VisibleLog(ended), StringComparison.Ordinal);
        Assert.DoesNotContain("Deployment finished", EngineHost.VisibleLog(ended), StringComparison.Ordinal);
        Assert.True(
            await Poll.UntilAsync(async () => !(await CancelDeploymentTests.BuildContainersAsync(marker)).Any(), TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken),
            "A build container of the closed pull request is left.");
        Assert.Empty(await Docker.ContainersAsync(app));
        Assert.Empty(await Docker.ImagesAsync(app));
        Assert.Empty((await host.GetAsync($"/api/v1/applications/{app}/previews")).AsArray());
    }

    private static JsonObject PushPayload(GitRepository origin, string commit, string message) =>
        EngineHost.LocalPayload("github-push", origin)
            .Set("after", commit)
            .Set("head_commit.id", commit)
            .Set("head_commit.message", message)
            .Set("commits.0.id", commit)
            .Set("commits.0.message", message);

    private Task<(int Status, JsonNode Body)> DeliverPullRequestAsync(GitRepository origin, string action, string head)
    {
        var payload = EngineHost.LocalPayload("github-pull_request", origin)
            .Set("action", action)
            .Set("pull_request.head.sha", head)
            .Set("pull_request.state", action == "closed" ? "closed" : "open");
        return host.DeliverAsync(GitProviders.GitHub, "pull_request", payload, Secret);
    }

    private async Task<string> DeployPreviewAsync(string app, int pullRequestId)
    {
        using var api = host.Api();
        using var response = await api.PostAsync($"/api/v1/deploy?uuid={app}&pr={pullRequestId}", null, TestContext.Current.CancellationToken);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return Text(json["deployments"]![0]!, "deployment_uuid");
    }

    private async Task AddPreviewVariableAsync(string app, string key, string value, bool buildtime = false, bool locked = false)
    {
        using var api = host.Api();
        await EngineHost.PostAsync(api, $"/api/v1/applications/{app}/envs", new JsonObject
        {
            ["key"] = key,
            ["value"] = value,
            ["is_preview"] = true,
            ["is_buildtime"] = buildtime,
            ["is_shown_once"] = locked,
        });
    }

    private static string Text(JsonNode node, string property) => node[property]!.GetValue<string>();
}
