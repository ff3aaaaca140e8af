using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Slipway.Core.Common;

namespace Slipway.IntegrationTests.Proxy;

/// <summary>Applications routed to an <see cref="Upstream"/>, and HTTPS requests pinned to 127.0.0.1 as <c>curl --resolve</c> does.</summary>
internal static class ProxyApps
{
    /// <summary>A unique host under <c>slipway.test</c> (never resolved: every request is sent to 127.0.0.1).</summary>
    public static string Host(string prefix) => $"{prefix}-{PublicId.New()[..8]}.slipway.test";

    /// <summary>
    /// An application on <paramref name="serverUuid"/> whose container would listen on the upstream's port with host
    /// networking; it is not deployed: the in-process upstream answers in its place.
    /// </summary>
    public static async Task<string> CreateAsync(ProxyHost host, string serverUuid, Upstream upstream, string domains, Action<JsonObject>? configure = null)
    {
        var (project, _) = await host.PlacementAsync();
        // The container would listen on the server's own 127.0.0.1 port: host networking, which the server must allow.
        await host.AllowHostNetworkAsync(serverUuid);
        var body = new JsonObject
        {
            ["project_uuid"] = project,
            ["environment_name"] = "production",
            ["server_uuid"] = serverUuid,
            ["docker_registry_image_name"] = "slipway-test/busybox",
            ["docker_registry_image_tag"] = "latest",
            ["ports_exposes"] = upstream.Port.ToString(CultureInfo.InvariantCulture),
            ["custom_docker_run_options"] = "--network host",
            ["domains"] = domains,
        };
        configure?.Invoke(body);
        return await host.CreateApplicationAsync("/api/v1/applications/dockerimage", body);
    }

    /// <summary>
    /// GET https://{host}:{port}{path} connected to 127.0.0.1, with SNI and Host of <paramref name="host"/>, trusting only
    /// <paramref name="root"/> and checking the name: what <c>curl --resolve host:port:127.0.0.1 --cacert root.pem</c> checks.
    /// </summary>
    public static async Task<(int Status, string Body)> GetHttpsAsync(string host, int port, X509Certificate2 root, string path = "/")
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync("127.0.0.1", port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Verify(certificate, chain, errors, root) },
        })
        { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await client.GetAsync(new Uri($"https://{host}:{port.ToString(CultureInfo.InvariantCulture)}{path}"), TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static bool Verify(X509Certificate? certificate, X509Chain? sent, SslPolicyErrors errors, X509Certificate2 root)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (sent is not null)
        {
            // The intermediates the server sent.
            chain.ChainPolicy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
            foreach (var element in sent.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(leaf);
    }
}
