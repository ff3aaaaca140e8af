using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Slipway.Core.Cluster;
using Slipway.Core.Commands;
using Slipway.Core.Execution;
using Slipway.Core.Servers;
using Slipway.Core.Validation;

namespace Slipway.Core.Proxy;

/// <summary>
/// Reconciles a server's proxy with the database: Slipway's rows are the truth, Caddy runs what they render to.
/// One reconcile per server at a time (a lock per server, held across instances through <see cref="IClusterLocks"/>);
/// each takes a new config generation from the database before it reads the state, and writes
/// <c>slipway-config-{generation}-{hash}</c> into the config it pushes (<c>admin.@id</c>). Before pushing it reads Caddy's config: the same hash means the same state (nothing to do),
/// a higher generation means a newer reconcile already pushed (this one is stale). The push itself is conditional
/// on the ETag it read, so even two Slipway processes cannot replace a newer config with an older one.
/// </summary>
public sealed partial class ProxyService(
    IProxyStore store,
    IExecutionTargets targets,
    ICaddyAdmin admin,
    ICertificateProbe certificates,
    ProxyOptions options,
    TimeProvider clock,
    ILogger<ProxyService> logger,
    IClusterLocks? locks = null) : IProxyService
{
    private const string MarkerPrefix = "slipway-config-";
    private const int PushAttempts = 3;

    private readonly ConcurrentDictionary<long, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<long, ProxyReconcileResult> _last = new();
    private readonly ConcurrentDictionary<long, RunningCaddy> _versions = new();

    public Task<ProxyReconcileResult> ReconcileAsync(long serverId, CancellationToken cancellationToken) =>
        RunLockedAsync(serverId, recreate: false, cancellationToken);

    public Task<ProxyReconcileResult> RestartAsync(long serverId, CancellationToken cancellationToken) =>
        RunLockedAsync(serverId, recreate: true, cancellationToken);

    public ProxyReconcileResult? LastResult(long serverId) => _last.GetValueOrDefault(serverId);

    public CaddyVersion? RunningVersion(long serverId) => _versions.GetValueOrDefault(serverId)?.Version;

    private async Task<ProxyReconcileResult> RunLockedAsync(long serverId, bool recreate, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(serverId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        ProxyReconcileResult result;
        try
        {
            // Other instances sharing the database push this server's config too: one at a time across all of them.
            await using (locks is null ? null : await locks.AcquireAsync(ClusterLockScope.ProxyConfig, serverId, cancellationToken))
            {
                result = await ReconcileLockedAsync(serverId, recreate, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, ex, serverId);
            result = Result(ProxyReconcileOutcome.Failed, 0, ex is CommandFailedException or ProxyException ? ex.Message : $"Unexpected error: {ex.Message}");
        }
        finally
        {
            gate.Release();
        }

        _last[serverId] = result;
        return result;
    }

    private async Task<ProxyReconcileResult> ReconcileLockedAsync(long serverId, bool recreate, CancellationToken cancellationToken)
    {
        // The generation is taken before the state is read: a reconcile that reads later state always has a higher one.
        var generation = await store.NextGenerationAsync(serverId, cancellationToken);
        var state = await store.LoadAsync(serverId, cancellationToken) ?? throw new ProxyException("The server no longer exists.");
        var server = state.Server;
        var settings = server.Proxy;
        CheckNames();
        var target = await targets.GetAsync(server, cancellationToken);
        if (!settings.IsEnabled)
        {
            var removed = await RemoveContainerIfPresentAsync(target, cancellationToken);
            return Result(ProxyReconcileOutcome.Disabled, generation, removed ? "The proxy is off: its container was removed (the volume is kept)." : "The proxy is off.");
        }

        if (ProxyRules.CheckImage(settings.Image) is { } imageProblem)
        {
            throw new ProxyException($"The stored proxy image is not valid: {imageProblem}");
        }

        var plan = state.Plan();
        var known = _versions.TryGetValue(serverId, out var running) && running.Image == settings.Image ? running.Version : null;
        var (json, hash) = Config(plan, known, generation, settings.AcmeCaRoot);
        var started = await EnsureContainerAsync(target, settings, plan, json, recreate, cancellationToken);
        if (started is not null || running is null || running.Image != settings.Image)
        {
            // A container just (re)created, or one this process has not asked yet: what it runs decides what the config may use.
            var version = await DetectVersionAsync(target, cancellationToken);
            _versions[serverId] = new RunningCaddy(settings.Image, version);
            if (version != known)
            {
                (json, hash) = Config(plan, version, generation, settings.AcmeCaRoot);
            }
        }

        // A running container gets a changed CA root just before the config that names it (a started one already has it).
        var outcome = await PushAsync(server, plan.AdminPort, json, generation, hash,
            started is null && settings.AcmeCaRoot is { } root ? () => CopyFilesAsync(target, root, autosave: null, cancellationToken) : null,
            cancellationToken);
        var problems = plan.Problems.Count == 0 ? string.Empty : " Left out: " + string.Join(" ", plan.Problems);
        return Result(outcome.Outcome, generation, (started is null ? string.Empty : started + " ") + outcome.Message + problems);
    }

    /// <summary>The config for <paramref name="version"/> with its marker (generation and hash of the state) as <c>admin.@id</c>.</summary>
    private static (string Json, string Hash) Config(ProxyPlan plan, CaddyVersion? version, long generation, string? caRoot)
    {
        var config = CaddyConfigRenderer.Render(plan, version);
        var hash = Hash(CaddyConfigRenderer.ToJson(config), caRoot);
        ((JsonObject)config["admin"]!)["@id"] = $"{MarkerPrefix}{generation.ToString(CultureInfo.InvariantCulture)}-{hash}";
        return (CaddyConfigRenderer.ToJson(config), hash);
    }

    /// <summary><c>caddy version</c> in the container; null when it cannot be told (the config then uses no later field).</summary>
    private async Task<CaddyVersion?> DetectVersionAsync(IExecutionTarget target, CancellationToken cancellationToken)
    {
        var result = await target.Runner.RunAsync(ProxyCommands.Version(options.ContainerName), throwOnFailure: false, cancellationToken: cancellationToken);
        return result.Succeeded ? CaddyVersion.Parse(result.Output) : null;
    }

    /// <summary>The Caddy version a server's container runs, with the image it was read from (a new image is asked again).</summary>
    private sealed record RunningCaddy(string Image, CaddyVersion? Version);

    private async Task<(ProxyReconcileOutcome Outcome, string Message)> PushAsync(
        Server server, int adminPort, string json, long generation, string hash, Func<Task>? beforeReplace, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= PushAttempts; attempt++)
        {
            var current = await WaitForAdminAsync(server, adminPort, cancellationToken);
            var (runningGeneration, runningHash) = ReadMarker(current.Json);
            if (runningHash == hash)
            {
                return (ProxyReconcileOutcome.Unchanged, $"The proxy already runs this configuration (generation {runningGeneration}).");
            }

            if (runningGeneration > generation)
            {
                return (ProxyReconcileOutcome.Stale, $"A newer configuration (generation {runningGeneration}) is already running; generation {generation} was dropped.");
            }

            if (beforeReplace is not null)
            {
                await beforeReplace();
                beforeReplace = null;
            }

            if (await admin.ReplaceConfigAsync(server, adminPort, json, current.ETag, cancellationToken))
            {
                return (ProxyReconcileOutcome.Pushed, $"Configuration generation {generation} pushed.");
            }
        }

        throw new ProxyException($"The proxy's configuration kept changing while generation {generation} was pushed; it was not applied.");
    }

    private async Task<CaddyConfigSnapshot> WaitForAdminAsync(Server server, int adminPort, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + options.AdminReadyTimeout;
        while (true)
        {
            var snapshot = await admin.GetConfigAsync(server, adminPort, cancellationToken);
            if (snapshot is not null)
            {
                return snapshot;
            }

            if (clock.GetUtcNow() >= deadline)
            {
                throw new ProxyException($"The proxy's admin API on 127.0.0.1:{adminPort.ToString(CultureInfo.InvariantCulture)} did not answer within {options.AdminReadyTimeout.TotalSeconds:0} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), clock, cancellationToken);
        }
    }

    /// <summary>The generation and hash of the config Caddy runs (0 and null when it is not one Slipway pushed).</summary>
    internal static (long Generation, string? Hash) ReadMarker(string json)
    {
        try
        {
            var id = JsonNode.Parse(json)?["admin"]?["@id"]?.GetValue<string>();
            if (id is not null && id.StartsWith(MarkerPrefix, StringComparison.Ordinal))
            {
                var parts = id[MarkerPrefix.Length..].Split('-', 2);
                if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
                {
                    return (generation, parts[1]);
                }
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
        }

        return (0, null);
    }

    /// <summary>The config and the CA root it names by path: a new root must reload the issuer even though the config text is the same.</summary>
    internal static string Hash(string configJson, string? caRoot) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(configJson + "\n" + caRoot)))[..16];

    private void CheckNames()
    {
        if (!ProxyRules.IsDockerName(options.ContainerName) || !ProxyRules.IsDockerName(options.Volume))
        {
            throw new ProxyException($"The proxy container name '{options.ContainerName}' or volume '{options.Volume}' is not a valid Docker name.");
        }
    }

    private ProxyReconcileResult Result(ProxyReconcileOutcome outcome, long generation, string message) =>
        new(outcome, generation, message, clock.GetUtcNow());

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Reconciling the proxy of server {ServerId} failed.")]
    private static partial void LogFailed(ILogger logger, Exception exception, long serverId);
}

/// <summary>A reconcile that cannot go on, with a message for the user.</summary>
public sealed class ProxyException(string message) : Exception(message);
