using System.Globalization;
using System.Net;
using Slipway.IntegrationTests.Fixtures;

namespace Slipway.IntegrationTests.Proxy;

/// <summary>
/// The edge proxy on a server reached over SSH (the test sshd on 127.0.0.1): Docker commands and the volume's files
/// go through SSH and SFTP, the admin API and the certificate check through ports forwarded over the same
/// connection. The sshd is this machine, so the proxy has a container name and ports of its own.
/// </summary>
public sealed class RemoteProxyTests(ProxyHost host, Pebble pebble) : IClassFixture<ProxyHost>, IClassFixture<Pebble>
{
    [Fact]
    public async Task Proxy_OnServerOverSsh_ServesHttpsFromPebbleAndReportsItsStatus()
    {
        var server = await host.CreateSshServerAsync();
        await using var upstream = await Upstream.StartAsync("remote");
        var name = ProxyApps.Host("remote");
        await ProxyApps.CreateAsync(host, server, upstream, $"https://{name},http://plain-{name}");

        var on = await host.PatchProxyAsync(server, host.ProxyOn(b =>
        {
            b["acme_ca_url"] = pebble.DirectoryUrl;
            b["acme_ca_root"] = pebble.TlsCa;
        }));
        var proxy = await host.WaitForProxyAsync(server, p => p["status"]?.GetValue<string>() == "running" && ProxyHost.Reconciled(p, ProxyHost.Generation(on) + 1, "pushed", "unchanged"), "running over SSH");
        Assert.Contains("Created the proxy container", proxy["last_reconcile"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        (int Status, string Body) answer = default;
        var served = await Poll.UntilAsync(async () =>
        {
            try
            {
                answer = await ProxyApps.GetHttpsAsync(name, host.HttpsPort, pebble.IssuingRoot);
                return answer.Status == 200;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(served, $"No verified HTTPS answer from {name}. Proxy: {(await host.GetProxyAsync(server)).ToJsonString()}");
        Assert.StartsWith("remote / ", answer.Body, StringComparison.Ordinal);

        using (var redirect = await ProxyHost.SendAsync(host.HttpPort, name))
        {
            Assert.Equal(HttpStatusCode.PermanentRedirect, redirect.StatusCode);
        }

        using (var plain = await ProxyHost.SendAsync(host.HttpPort, "plain-" + name))
        {
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        }

        // The certificate is checked through the SSH connection, as the proxy's own HTTPS port answers it.
        var valid = await host.WaitForProxyAsync(server, p => p["certificates"]?.AsArray().Any(c => c!["domain"]!.GetValue<string>() == name && c["status"]!.GetValue<string>() == "valid") == true, "the certificate valid");
        Assert.Equal(ProxyHost.CaddyImage, valid["image"]!.GetValue<string>());
        var (_, labels) = await Docker.RunAsync("inspect", "--format", "{{index .Config.Labels \"slipway.proxy.admin-port\"}}", host.ContainerName);
        Assert.Equal(host.AdminPort.ToString(CultureInfo.InvariantCulture), labels.Trim());
    }
}
