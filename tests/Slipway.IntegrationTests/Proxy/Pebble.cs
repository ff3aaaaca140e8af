using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Proxy;

/// <summary>
/// Debian's pebble (an ACME test server) on 127.0.0.1, started per test class: its own HTTPS certificate made with
/// openssl (that certificate's CA is what Caddy must trust: the server's <c>acme_ca_root</c>), challenges always valid
/// and no random waits or nonce rejections. <see cref="IssuingRoot"/> is the root its certificates chain to.
/// </summary>
public sealed class Pebble : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slipway-pebble-").FullName;
    private Process? _process;

    public int Port { get; } = SlipwayBinary.FreeLoopbackPort();
    public int ManagementPort { get; } = SlipwayBinary.FreeLoopbackPort();

    public string DirectoryUrl => $"https://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/dir";

    /// <summary>The CA of pebble's own HTTPS certificate (PEM): Caddy trusts it to talk to pebble.</summary>
    public string TlsCa { get; private set; } = string.Empty;

    /// <summary>The root pebble issues certificates under (its management port's <c>/roots/0</c>).</summary>
    public X509Certificate2 IssuingRoot { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await OpenSslAsync("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=slipway test pebble CA");
        await OpenSslAsync("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "req.csr", "-subj", "/CN=127.0.0.1");
        await File.WriteAllTextAsync(Path.Combine(_directory, "ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        await OpenSslAsync("x509", "-req", "-in", "req.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "cert.pem", "-days", "2", "-extfile", "ext");
        TlsCa = await File.ReadAllTextAsync(Path.Combine(_directory, "ca.pem"));

        var config = new JsonObject
        {
            ["pebble"] = new JsonObject
            {
                ["listenAddress"] = $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}",
                ["managementListenAddress"] = $"127.0.0.1:{ManagementPort.ToString(CultureInfo.InvariantCulture)}",
                ["certificate"] = Path.Combine(_directory, "cert.pem"),
                ["privateKey"] = Path.Combine(_directory, "key.pem"),
                // Challenges are never validated (PEBBLE_VA_ALWAYS_VALID), so these ports are never contacted.
                ["httpPort"] = SlipwayBinary.FreeLoopbackPort(),
                ["tlsPort"] = SlipwayBinary.FreeLoopbackPort(),
                ["ocspResponderURL"] = string.Empty,
                ["externalAccountBindingRequired"] = false,
            },
        };
        await File.WriteAllTextAsync(Path.Combine(_directory, "pebble.json"), config.ToJsonString());
        var start = new ProcessStartInfo("pebble") { WorkingDirectory = _directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-config");
        start.ArgumentList.Add(Path.Combine(_directory, "pebble.json"));
        start.Environment["PEBBLE_VA_ALWAYS_VALID"] = "1";
        start.Environment["PEBBLE_VA_NOSLEEP"] = "1";
        start.Environment["PEBBLE_WFE_NONCEREJECT"] = "0";
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("pebble could not be started.");
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException("These tests need Debian's pebble on PATH (./test.sh installs it).", error);
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var trusting = TrustingClient(TlsCa);
        string? root = null;
        var ready = await Poll.UntilAsync(async () =>
        {
            try
            {
                await trusting.GetStringAsync(DirectoryUrl, TestContext.Current.CancellationToken);
                root = await trusting.GetStringAsync($"https://127.0.0.1:{ManagementPort.ToString(CultureInfo.InvariantCulture)}/roots/0", TestContext.Current.CancellationToken);
                return true;
            }
            catch (HttpRequestException)
            {
                return _process.HasExited ? throw new InvalidOperationException($"pebble exited with {_process.ExitCode}.") : false;
            }
        }, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.True(ready, "pebble did not answer within 30 s.");
        IssuingRoot = X509Certificate2.CreateFromPem(root!);
    }

    /// <summary>An HttpClient that trusts only <paramref name="caPem"/> (with host-name checks).</summary>
    public static HttpClient TrustingClient(string caPem)
    {
        var ca = X509Certificate2.CreateFromPem(caPem);
        return new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is not null && ChainsTo(new X509Certificate2(certificate), ca) && (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) == 0,
            },
        })
        { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="root"/> alone (no system roots).</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 root, X509Certificate2Collection? intermediates = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (intermediates is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        }

        return chain.Build(certificate);
    }

    private async Task OpenSslAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = _directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl could not be started.");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"openssl {string.Join(' ', arguments)} failed: {error}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        IssuingRoot?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
