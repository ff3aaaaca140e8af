using System.Globalization;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// Issue 14 items 2 and 5 through the real Docker engine and git: a Dockerfile build with a target stage, SOURCE_COMMIT,
/// build arguments declared in every stage for it, an LFS file pulled and the repository preserved; then the same
/// build-time variable as a BuildKit secret, never a build argument nor in the image's history. A static site serving its
/// publish_directory as a single-page application. The build settings again over SSH.
/// </summary>
public sealed class BuildSettingsTests(EngineHost host) : IClassFixture<EngineHost>
{
    // No ARG anywhere: inject_build_args_to_dockerfile declares them. The last stage fails if it is built: the target is "final".
    private const string Dockerfile = """
        FROM slipway-test/busybox:latest AS base
        RUN mkdir -p /www && echo "greeting=$GREETING commit=$SOURCE_COMMIT" > /www/build-info.txt
        RUN --mount=type=secret,id=GREETING cat /run/secrets/GREETING > /www/secret-seen.txt || echo none > /www/secret-seen.txt
        FROM base AS final
        COPY big.bin /www/big.bin
        CMD ["sh", "-c", "exec httpd -f -p \"$PORT\" -h /www"]
        FROM base AS broken
        RUN echo "this stage must not be built" && false
        """;

    [Fact]
    public async Task Deploy_WithBuildSettings_TargetSourceCommitInjectedArgumentsLfsAndPreservedRepository_ThenBuildSecrets()
    {
        using var repository = await GitRepository.CreateAsync();
        // The test repository has git-lfs's filter (Debian's git-lfs sets it system-wide): big.bin is committed as a pointer.
        repository.Write(".gitattributes", "*.bin filter=lfs diff=lfs merge=lfs -text\n").Write("big.bin", "the real large file\n").Write("Dockerfile", Dockerfile);
        var commit = await repository.CommitAsync("Build settings");
        Assert.Contains("git-lfs.github.com/spec", await repository.GitAsync("cat-file", "-p", "HEAD:big.bin"), StringComparison.Ordinal);
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateDockerfileAppAsync(repository, port, body =>
        {
            body["health_check_path"] = "/build-info.txt";
            body["dockerfile_target_build"] = "final";
            body["include_source_commit_in_build"] = true;
            body["is_preserve_repository_enabled"] = true;
        });
        await host.AddVariableAsync(app, "GREETING", "hello-build", buildtime: true, runtime: false);

        var first = await host.WaitAsync(await host.DeployAsync(app));

        var log = EngineHost.VisibleLog(first);
        Assert.True(EngineHost.Status(first) == "finished", log);
        Assert.Contains("pulling them (is_git_lfs_enabled)", log, StringComparison.Ordinal);
        Assert.Contains("ARG GREETING, ARG SOURCE_COMMIT", log, StringComparison.Ordinal);
        Assert.Contains(" --target final ", log, StringComparison.Ordinal);
        Assert.Equal($"greeting=hello-build commit={commit}\n", await EngineHost.FetchAsync(port, "/build-info.txt"));
        Assert.Equal("none\n", await EngineHost.FetchAsync(port, "/secret-seen.txt"));
        Assert.Equal("the real large file\n", await EngineHost.FetchAsync(port, "/big.bin"));
        var preserved = Path.Combine(host.DataDir, "work", "applications", app);
        Assert.Equal(Dockerfile, File.ReadAllText(Path.Combine(preserved, "Dockerfile")));

        await host.PatchApplicationAsync(app, new { use_build_secrets = true });
        var second = await host.WaitAsync(await host.DeployAsync(app));

        log = EngineHost.VisibleLog(second);
        Assert.True(EngineHost.Status(second) == "finished", log);
        Assert.Contains(" --secret id=GREETING,env=GREETING ", log, StringComparison.Ordinal);
        Assert.DoesNotContain("--build-arg GREETING", log, StringComparison.Ordinal);
        Assert.Equal("hello-build", await EngineHost.FetchAsync(port, "/secret-seen.txt"));
        Assert.Equal($"greeting= commit={commit}\n", await EngineHost.FetchAsync(port, "/build-info.txt"));
        var (_, history) = await Docker.RunAsync("history", "--no-trunc", "--format", "{{.CreatedBy}}", $"{app}:{commit}");
        Assert.DoesNotContain("hello-build", history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_BuildSettingsOverSsh_TargetSourceCommitSecretAndPreservedRepository()
    {
        var server = await host.CreateSshServerAsync();
        using var repository = await GitRepository.CreateAsync();
        // No LFS file here (the local test covers the pull); the rest of the Dockerfile is the local test's.
        var commit = await repository.Write("big.bin", "a small file\n").Write("Dockerfile", Dockerfile).CommitAsync("Build settings over SSH");
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateDockerfileAppAsync(repository, port, body =>
        {
            body["health_check_path"] = "/build-info.txt";
            body["dockerfile_target_build"] = "final";
            body["include_source_commit_in_build"] = true;
            body["use_build_secrets"] = true;
            body["is_preserve_repository_enabled"] = true;
        }, server);
        // Over SSH the value reaches the remote docker client's environment through the transport's one quoting function.
        await host.AddVariableAsync(app, "GREETING", "it's $HOME \"quoted\"", buildtime: true, runtime: false);

        var deployed = await host.WaitAsync(await host.DeployAsync(app));

        var log = EngineHost.VisibleLog(deployed);
        Assert.True(EngineHost.Status(deployed) == "finished", log);
        Assert.Contains(" --target final ", log, StringComparison.Ordinal);
        Assert.Contains(" --secret id=GREETING,env=GREETING ", log, StringComparison.Ordinal);
        Assert.Contains($"Kept the repository at commit {commit} in .slipway/work/applications/{app} on ", log, StringComparison.Ordinal);
        Assert.Equal("it's $HOME \"quoted\"", await EngineHost.FetchAsync(port, "/secret-seen.txt"));
        Assert.Equal($"greeting= commit={commit}\n", await EngineHost.FetchAsync(port, "/build-info.txt"));
    }

    [Fact]
    public async Task Deploy_StaticSiteWithPublishDirectoryAndSpa_ServesTheDirectoryAndAnswersUnknownPathsWithIndex()
    {
        using var repository = await GitRepository.CreateAsync();
        await repository.Write("index.html", "the repository root").Write("dist/index.html", "spa home").Write("dist/app.js", "js").CommitAsync("SPA");
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateStaticSiteAsync(repository, port, body =>
        {
            body["publish_directory"] = "/dist";
            body["is_spa"] = true;
            body["is_static"] = true;
        });

        var deployed = await host.WaitAsync(await host.DeployAsync(app));

        Assert.True(EngineHost.Status(deployed) == "finished", EngineHost.VisibleLog(deployed));
        Assert.Equal("spa home", await EngineHost.FetchAsync(port));
        Assert.Equal("js", await EngineHost.FetchAsync(port, "/app.js"));
        // busybox httpd answers an unknown path with index.html as its 404 page (nginx answers it with 200).
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var route = await http.GetAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/users/42"), TestContext.Current.CancellationToken);
        Assert.Equal("spa home", await route.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
