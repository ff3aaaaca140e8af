using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// Issue 14 items 3 and 4 through the real Docker engine: one deployment with every runtime setting, read back with
/// <c>docker inspect</c> (variables in the order added, with sorting off), and its fixed name's stop-then-start on the next one (local); a command health check that
/// passes and then one that fails while the old container keeps serving, with a label a shell would expand (over SSH).
/// </summary>
public sealed class RuntimeSettingsTests(EngineHost host) : IClassFixture<EngineHost>
{
    [Fact]
    public async Task Deploy_WithRuntimeSettingsAndACommandHealthCheck_DockerInspectShowsEveryOne()
    {
        using var repository = await GitRepository.CreateAsync();
        await repository.Write("index.html", "runtime").CommitAsync("Runtime settings");
        var port = SlipwayBinary.FreeLoopbackPort();
        var name = "rt-" + Guid.NewGuid().ToString("N")[..12];
        var labels = Convert.ToBase64String(Encoding.UTF8.GetBytes("team=web ops\ntraefik.http.routers.a.rule=Host(`a.example.com`) && PathPrefix(`/x`)\n"));
        var app = await host.CreateStaticSiteAsync(repository, port, body =>
        {
            body["max_restart_count"] = 3;
            body["limits_memory"] = "64m";
            body["limits_memory_swap"] = "128m";
            body["limits_memory_swappiness"] = 10;
            body["limits_memory_reservation"] = "32m";
            body["limits_cpuset"] = "0";
            body["limits_cpu_shares"] = 512;
            body["custom_labels"] = labels;
            body["custom_internal_name"] = name;
            body["connect_to_docker_network"] = true;
            body["health_check_type"] = "cmd";
            body["health_check_command"] = $"wget -q -O /dev/null http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/";
            body["is_env_sorting_enabled"] = false;
        });
        // Sorting off: the variables reach the container in the order they were added, not by key.
        await host.AddVariableAsync(app, "ZULU_FIRST", "1");
        await host.AddVariableAsync(app, "ALPHA_SECOND", "2");

        var deployed = await host.WaitAsync(await host.DeployAsync(app));

        Assert.True(EngineHost.Status(deployed) == "finished", EngineHost.VisibleLog(deployed));
        Assert.Contains($"Attempt 1 of 5 | Healthcheck status: \"healthy\" | command in {name}: exit code 0", EngineHost.VisibleLog(deployed), StringComparison.Ordinal);
        var (_, inspected) = await Docker.RunAsync("inspect", "--format",
            "{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}|{{.HostConfig.Memory}}|{{.HostConfig.MemorySwap}}|{{.HostConfig.MemorySwappiness}}|{{.HostConfig.MemoryReservation}}"
            + "|{{.HostConfig.CpusetCpus}}|{{.HostConfig.CpuShares}}|{{index .Config.Labels \"team\"}}|{{index .Config.Labels \"traefik.http.routers.a.rule\"}}"
            + "|{{index .Config.Labels \"slipway.application\"}}|{{range $n, $_ := .NetworkSettings.Networks}}{{$n}} {{end}}", name);
        Assert.Equal(
            $"on-failure:3|67108864|134217728|10|33554432|0|512|web ops|Host(`a.example.com`) && PathPrefix(`/x`)|{app}|slipway",
            inspected.Trim());
        Assert.Equal("runtime", await EngineHost.FetchAsync(port));
        var (_, environment) = await Docker.RunAsync("inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", name);
        Assert.Equal(["ZULU_FIRST=1", "ALPHA_SECOND=2"], environment.Split('\n').Where(l => l is "ZULU_FIRST=1" or "ALPHA_SECOND=2"));
        using var api = host.Api();
        var shown = (await api.GetFromJsonAsync<JsonNode>($"/api/v1/applications/{app}", TestContext.Current.CancellationToken))!;
        // Shown as stored: one label per line, without the trailing newline that was sent.
        var shownLabels = Convert.ToBase64String(Encoding.UTF8.GetBytes("team=web ops\ntraefik.http.routers.a.rule=Host(`a.example.com`) && PathPrefix(`/x`)"));
        Assert.Equal((shownLabels, 3, "0", 512, name), (shown["custom_labels"]!.GetValue<string>(), shown["max_restart_count"]!.GetValue<int>(),
            shown["limits_cpuset"]!.GetValue<string>(), shown["limits_cpu_shares"]!.GetValue<int>(), shown["settings"]!["custom_internal_name"]!.GetValue<string>()));

        await repository.Write("index.html", "runtime v2").CommitAsync("Second version");
        var redeployed = await host.WaitAsync(await host.DeployAsync(app));

        Assert.True(EngineHost.Status(redeployed) == "finished", EngineHost.VisibleLog(redeployed));
        Assert.Single(EngineHost.VisibleLog(redeployed).Split('\n'), l => l.Contains($"The container has a fixed name ({name}, from custom_internal_name)", StringComparison.Ordinal));
        Assert.Equal(new[] { (name, "running") }, await Docker.ContainersAsync(app));
        Assert.Equal("runtime v2", await EngineHost.FetchAsync(port));
    }

    [Fact]
    public async Task Deploy_CommandHealthCheckOverSsh_PassesThenAFailingOneLeavesTheOldContainerServing()
    {
        var server = await host.CreateSshServerAsync();
        using var repository = await GitRepository.CreateAsync();
        await repository.Write("index.html", "old").CommitAsync("Old version");
        var port = SlipwayBinary.FreeLoopbackPort();
        // No ports_mappings: the new container starts beside the old one, which serves throughout.
        var app = await host.CreateStaticSiteAsync(repository, port, body =>
        {
            body["ports_mappings"] = null;
            // Over SSH every argument passes through the one quoting function: a label value a shell would expand stays literal.
            body["custom_labels"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("note=`touch /tmp/slipway-pwned` && $(id) 'x'"));
            body["max_restart_count"] = 2;
            body["health_check_type"] = "cmd";
            body["health_check_command"] = $"wget -q -O /dev/null http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/";
        }, server);
        var first = await host.WaitAsync(await host.DeployAsync(app));
        Assert.True(EngineHost.Status(first) == "finished", EngineHost.VisibleLog(first));
        var (old, _) = Assert.Single(await Docker.ContainersAsync(app));
        var (_, inspected) = await Docker.RunAsync("inspect", "--format", "{{index .Config.Labels \"note\"}}|{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}", old);
        Assert.Equal("`touch /tmp/slipway-pwned` && $(id) 'x'|on-failure:2", inspected.Trim());
        Assert.False(File.Exists("/tmp/slipway-pwned"));

        await host.PatchApplicationAsync(app, new { health_check_command = "test -f /no/such/file", health_check_retries = 2 });
        await repository.Write("index.html", "new").CommitAsync("New version");
        var failed = await host.WaitAsync(await host.DeployAsync(app));

        var log = EngineHost.VisibleLog(failed);
        Assert.True(EngineHost.Status(failed) == "failed", log);
        Assert.Contains("New container is unhealthy: 2 attempt(s) of the health_check_command failed; last: exit code 1.", log, StringComparison.Ordinal);
        Assert.Equal(new[] { (old, "running") }, await Docker.ContainersAsync(app));
        var (_, address) = await Docker.RunAsync("inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", old);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal("old", await http.GetStringAsync(new Uri($"http://{address.Trim()}:{port.ToString(CultureInfo.InvariantCulture)}/"), TestContext.Current.CancellationToken));
    }
}
