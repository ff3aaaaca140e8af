using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// Git over SSH against the real sshd, with a deploy key: the first deployment pins the git host's key on the
/// application, a later one refuses a host presenting another key (nothing fetched, the running version stays), and
/// <c>DELETE /applications/{uuid}/git-host-key</c> lets the next deployment pin afresh.
/// </summary>
public sealed class GitHostKeyTests(EngineHost host) : IClassFixture<EngineHost>
{
    /// <summary>A real ed25519 public key that is not the test sshd's: what a host in the middle would present.</summary>
    private const string OtherKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

    [Fact]
    public async Task SshRepository_FirstDeploymentPinsTheHostKey_AnotherKeyIsRefused_ResetPinsAfresh()
    {
        var ssh = SshTestServer.FromEnvironment();
        using var origin = await GitRepository.CreateBareAsync();
        using var work = await origin.CloneAsync();
        await work.Write("index.html", "<h1>over ssh</h1>").CommitAsync("Served over SSH");
        await work.PushAsync("HEAD:refs/heads/main");
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await CreateDeployKeyAppAsync(ssh, $"ssh://{ssh.User}@127.0.0.1:{ssh.Port}{origin.Path}", port);

        var first = await host.WaitAsync(await host.DeployAsync(app));
        Assert.True(EngineHost.Status(first) == "finished", EngineHost.VisibleLog(first));
        var pinned = await PinnedAsync(app);
        Assert.Matches($@"^\[127\.0\.0\.1\]:{ssh.Port} ssh-ed25519 [A-Za-z0-9+/=]+$", pinned);
        Assert.Contains("Pinned the git host's SSH key for this application (ssh-ed25519 SHA256:", EngineHost.VisibleLog(first), StringComparison.Ordinal);

        var second = await host.WaitAsync(await host.DeployAsync(app, force: true));
        Assert.True(EngineHost.Status(second) == "finished", EngineHost.VisibleLog(second));
        Assert.Equal(pinned, await PinnedAsync(app));
        Assert.DoesNotContain("Pinned the git host's", EngineHost.VisibleLog(second), StringComparison.Ordinal);

        await host.UpdateDatabaseAsync(db => db.Applications.Where(a => a.Uuid == app)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.GitHostKeys, $"[127.0.0.1]:{ssh.Port} {OtherKey}"), TestContext.Current.CancellationToken));
        var refused = await host.WaitAsync(await host.DeployAsync(app, force: true));
        Assert.Equal("failed", EngineHost.Status(refused));
        Assert.Contains(
            $"The git host presented an SSH host key other than the one pinned for this application on its first deployment: the host's key changed, or something is in between. Nothing was fetched. If the key really changed, reset it with DELETE /api/v1/applications/{app}/git-host-key.",
            EngineHost.VisibleLog(refused), StringComparison.Ordinal);
        Assert.DoesNotContain("Cloning repository", EngineHost.VisibleLog(refused), StringComparison.Ordinal);
        Assert.Equal("<h1>over ssh</h1>", await EngineHost.FetchAsync(port));

        using (var api = host.Api())
        {
            var reset = await api.DeleteAsync($"/api/v1/applications/{app}/git-host-key", TestContext.Current.CancellationToken);
            var body = await reset.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken);
            Assert.True(reset.IsSuccessStatusCode, body?.ToJsonString());
            Assert.StartsWith("The pinned git host key was forgotten", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Null(await PinnedAsync(app));
        var repinned = await host.WaitAsync(await host.DeployAsync(app, force: true));
        Assert.True(EngineHost.Status(repinned) == "finished", EngineHost.VisibleLog(repinned));
        Assert.Equal(pinned, await PinnedAsync(app));
    }

    private async Task<string> CreateDeployKeyAppAsync(SshTestServer ssh, string repository, int port)
    {
        var (project, localhost) = await host.PlacementAsync();
        using var api = host.Api();
        var key = await EngineHost.PostAsync(api, "/api/v1/security/keys", new JsonObject { ["name"] = "deploy-key", ["private_key"] = ssh.PrivateKey });
        return await host.CreateApplicationAsync("/api/v1/applications/private-deploy-key", new JsonObject
        {
            ["project_uuid"] = project,
            ["environment_name"] = "production",
            ["server_uuid"] = localhost,
            ["private_key_uuid"] = key["uuid"]!.GetValue<string>(),
            ["git_repository"] = repository,
            ["git_branch"] = "main",
            ["build_pack"] = "static",
            ["ports_exposes"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["static_image"] = Docker.TestImage,
            ["static_server"] = "busybox-httpd",
            ["ports_mappings"] = EngineHost.Published(port),
            ["health_check_enabled"] = true,
            ["health_check_start_period"] = 0,
            ["health_check_interval"] = 1,
            ["health_check_retries"] = 5,
        });
    }

    private async Task<string?> PinnedAsync(string app)
    {
        await using var db = host.CreateDbContext();
        return await db.Applications.Where(a => a.Uuid == app).Select(a => a.GitHostKeys).SingleAsync(TestContext.Current.CancellationToken);
    }
}
