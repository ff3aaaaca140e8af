using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Common;
using Slipway.Core.Engine;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Proxy;

/// <summary>
/// The 127.0.0.1 port a rolled-out container is published on: one another process holds at the start makes the
/// next one be tried and recorded, and after a restart of Slipway the route is rebuilt from the recorded port alone.
/// </summary>
public sealed class RolloutPortTests
{
    [Fact]
    public async Task PortTakenAtStart_NextIsRecorded_AndTheRouteKeepsItAfterARestart()
    {
        // Something else listens on the first port the engine picks (scripted: the picks are random otherwise).
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var taken = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var free = SlipwayBinary.FreeLoopbackPort();
        var picks = new ScriptedPorts(taken, free);
        var image = "slipway-test/rollout-port-" + PublicId.New()[..8];
        var first = new ProxyHost { TestServices = s => s.AddSingleton<IUpstreamPortPicker>(picks) };
        ProxyHost? restarted = null;
        try
        {
            await RolloutLoad.BuildAsync(image, "v1");
            await first.InitializeAsync();
            await first.PatchProxyAsync(await first.LocalhostUuidAsync(), first.ProxyOn());
            var domain = ProxyApps.Host("port");
            var app = await first.CreateDockerImageAppAsync(image, "v1", 8080, b =>
            {
                b["domains"] = $"http://{domain}";
                b["ports_mappings"] = null;
            });

            var deployment = await first.WaitAsync(await first.DeployAsync(app));
            var log = EngineHost.VisibleLog(deployment);
            Assert.True(EngineHost.Status(deployment) == "finished", log);
            Assert.Contains($"127.0.0.1:{Text(taken)} is in use on the server; trying another port.", log, StringComparison.Ordinal);
            Assert.Contains($"the proxy reaches it at 127.0.0.1:{Text(free)}.", log, StringComparison.Ordinal);
            Assert.Equal(free, await RecordedPortAsync(first, app));
            var container = Assert.Single(await Docker.ContainersAsync(app)).Name;
            Assert.Equal($"127.0.0.1:{Text(free)}", (await Docker.RunAsync("port", container, "8080/tcp")).Output.Trim());
            Assert.True(await Poll.UntilAsync(async () => await RolloutLoad.BodyAsync(first.HttpPort, domain) == "v1\n", TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

            // Slipway stops; the proxy loses its container, volume and autosaved config: after the restart the route
            // can only come from the database. The application's container runs on meanwhile.
            restarted = first.Restarted();
            await first.DisposeAsync();
            await Docker.RunAsync("rm", "-f", first.ContainerName);
            await Docker.RunAsync("volume", "rm", "-f", first.Volume);
            await restarted.InitializeAsync();

            Assert.True(
                await Poll.UntilAsync(async () => await TryBodyAsync(restarted.HttpPort, domain) == "v1\n", TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken),
                $"After the restart the proxy does not serve {domain}. Proxy: {(await restarted.GetProxyAsync(await restarted.LocalhostUuidAsync())).ToJsonString()}");
            Assert.Equal((container, "running"), Assert.Single(await Docker.ContainersAsync(app)));
            using var admin = new HttpClient();
            var config = await admin.GetStringAsync(new Uri($"http://127.0.0.1:{Text(restarted.AdminPort)}/config/"), TestContext.Current.CancellationToken);
            Assert.Contains($"\"dial\":\"127.0.0.1:{Text(free)}\"", config, StringComparison.Ordinal);
            Assert.Equal(free, await RecordedPortAsync(restarted, app));
        }
        finally
        {
            await first.DisposeAsync();
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }

            await Docker.RunAsync("image", "rm", "-f", image + ":v1");
        }
    }

    private static async Task<int?> RecordedPortAsync(EngineHost host, string application)
    {
        await using var db = host.CreateDbContext();
        return await db.Applications.Where(a => a.Uuid == application).Select(a => a.ProxyUpstreamPort).SingleAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<string?> TryBodyAsync(int port, string domain)
    {
        try
        {
            return await RolloutLoad.BodyAsync(port, domain);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Hands out the given ports in order, then random ones.</summary>
    private sealed class ScriptedPorts(params int[] ports) : IUpstreamPortPicker
    {
        private readonly ConcurrentQueue<int> _ports = new(ports);
        private readonly RandomUpstreamPortPicker _random = new();

        public int Pick(IReadOnlySet<int> taken) => _ports.TryDequeue(out var port) ? port : _random.Pick(taken);
    }
}
