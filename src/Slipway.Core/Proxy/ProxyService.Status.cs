using System.Text.Json;
using Slipway.Core.Commands;
using Slipway.Core.Execution;
using Slipway.Core.Servers;

namespace Slipway.Core.Proxy;

public sealed partial class ProxyService
{
    private const int LogLinesRead = 500;

    public async Task<ProxyRuntimeStatus> InspectAsync(Server server, ProxyPlan plan, CancellationToken cancellationToken)
    {
        IExecutionTarget target;
        ProxyContainer? container;
        try
        {
            CheckNames();
            target = await targets.GetAsync(server, cancellationToken);
            container = await InspectContainerAsync(target, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new ProxyRuntimeStatus(null, $"The proxy container could not be inspected: {ex.Message}", []);
        }

        if (container is null)
        {
            return new ProxyRuntimeStatus("missing", null, []);
        }

        if (container.Status != "running" || plan.HttpsHosts.Count == 0 || !server.Proxy.IsEnabled)
        {
            return new ProxyRuntimeStatus(container.Status, null, []);
        }

        return new ProxyRuntimeStatus(container.Status, null, await CertificatesAsync(target, server, plan.HttpsPort, plan.HttpsHosts, cancellationToken));
    }

    public async Task<IReadOnlyList<CertificateStatus>> WaitForCertificatesAsync(long serverId, IReadOnlyCollection<string> hosts, CancellationToken cancellationToken)
    {
        var state = await store.LoadAsync(serverId, cancellationToken) ?? throw new ProxyException("The server no longer exists.");
        var plan = state.Plan();
        var wanted = plan.HttpsHosts.Where(hosts.Contains).ToList();
        if (wanted.Count == 0 || !state.Server.Proxy.IsEnabled)
        {
            return [];
        }

        CheckNames();
        var target = await targets.GetAsync(state.Server, cancellationToken);
        var deadline = clock.GetUtcNow() + options.CertificateWait;
        while (true)
        {
            var statuses = await CertificatesAsync(target, state.Server, plan.HttpsPort, wanted, cancellationToken);
            if (statuses.All(s => s.Status != CertificateStates.Pending) || clock.GetUtcNow() >= deadline)
            {
                return statuses;
            }

            await Task.Delay(options.CertificatePollInterval, clock, cancellationToken);
        }
    }

    public async Task<int?> InFlightAsync(long serverId, int port, CancellationToken cancellationToken)
    {
        var state = await store.LoadAsync(serverId, cancellationToken) ?? throw new ProxyException("The server no longer exists.");
        var counts = await admin.UpstreamRequestsAsync(state.Server, state.Server.Proxy.AdminPort, cancellationToken);
        return counts is null ? null : counts.GetValueOrDefault(ProxyUpstream.DialOf(port));
    }

    /// <summary>
    /// Each HTTPS host's certificate: asked of the HTTPS port itself (what a browser would get); when none is served
    /// yet, Caddy's log says whether obtaining it failed and why.
    /// </summary>
    private async Task<IReadOnlyList<CertificateStatus>> CertificatesAsync(
        IExecutionTarget target, Server server, int httpsPort, IReadOnlyList<string> hosts, CancellationToken cancellationToken)
    {
        Dictionary<string, (string Status, string? Error)>? attempts = null;
        var statuses = new List<CertificateStatus>();
        foreach (var host in hosts)
        {
            var served = await certificates.ProbeAsync(server, httpsPort, host, cancellationToken);
            if (served is { CoversHost: true })
            {
                statuses.Add(new CertificateStatus(host, CertificateStates.Valid, served.Issuer, served.NotAfter, null));
                continue;
            }

            attempts ??= await ReadAttemptsAsync(target, cancellationToken);
            var (status, error) = attempts.GetValueOrDefault(host, (CertificateStates.Pending, null));
            statuses.Add(new CertificateStatus(host, status == CertificateStates.Valid ? CertificateStates.Pending : status, null, null, error));
        }

        return statuses;
    }

    private async Task<Dictionary<string, (string Status, string? Error)>> ReadAttemptsAsync(IExecutionTarget target, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        await target.Runner.RunAsync(ProxyCommands.Logs(options.ContainerName, LogLinesRead), e =>
        {
            if (e is OutputLine line)
            {
                lines.Add(line.Text);
            }

            return ValueTask.CompletedTask;
        }, throwOnFailure: false, cancellationToken);
        return ParseAttempts(lines);
    }

    /// <summary>The last certificate event per host in Caddy's JSON log: obtained, being obtained, or failed with its error.</summary>
    internal static Dictionary<string, (string Status, string? Error)> ParseAttempts(IEnumerable<string> lines)
    {
        var attempts = new Dictionary<string, (string Status, string? Error)>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (!line.Contains("\"tls.obtain\"", StringComparison.Ordinal) && !line.Contains("\"tls.issuance", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                using var entry = JsonDocument.Parse(line);
                var root = entry.RootElement;
                if (!root.TryGetProperty("identifier", out var identifier) || identifier.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                var message = root.TryGetProperty("msg", out var msg) ? msg.GetString() : null;
                var host = identifier.GetString()!;
                switch (message)
                {
                    case "could not get certificate from issuer":
                        attempts[host] = (CertificateStates.Failed, root.TryGetProperty("error", out var error) ? error.GetString() : "unknown error");
                        break;
                    case "certificate obtained successfully":
                        attempts[host] = (CertificateStates.Valid, null);
                        break;
                    case "obtaining certificate":
                        attempts[host] = attempts.TryGetValue(host, out var previous) && previous.Status == CertificateStates.Failed ? previous : (CertificateStates.Pending, null);
                        break;
                }
            }
            catch (JsonException)
            {
            }
        }

        return attempts;
    }
}
