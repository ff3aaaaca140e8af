using System.Diagnostics;
using System.Globalization;
using Slipway.Core.Execution;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// Zero-downtime rollout: the new container is healthy, and answers where the proxy will dial it (the server's
/// 127.0.0.1 port it is published on). The route is switched to it with the old container listed behind it
/// (Caddy's <c>lb_policy first</c>), so the requests the old one is serving keep being counted; once none is in
/// flight, or the application's stop grace has passed, the old one is dropped from the config and can go. A failure
/// before the switch leaves the route untouched (the old container keeps serving); undoing it after the switch puts
/// the route back on the old container.
/// </summary>
public sealed class SwitchRouteStep : ICompensatingStep
{
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(100);

    private int? _previous;
    private bool _switched;

    public string Title => "Switching the proxy to the new container";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var port = context.NewUpstreamPort ?? throw new InvalidOperationException("The new container was not published for the proxy.");
        var app = context.Application;
        await CheckFromProxySideAsync(context, port, cancellationToken);

        // The previous route's port, when its container is still there to drain.
        var old = context.OldContainers;
        _previous = context.RoutedPort is { } previous && previous != port && old.Any(c => c.IsRunning && c.Name != context.NewContainer) ? previous : null;
        // Switching the route is visible to everyone: only while this instance still owns the run.
        await context.EnsureOwnedAsync(cancellationToken);
        await context.SetRouteAsync(port, _previous, cancellationToken);
        var switched = await context.Proxy.ReconcileAsync(context.Server.Id, cancellationToken);
        if (!switched.Succeeded)
        {
            await context.SetRouteAsync(context.RoutedPort, null, CancellationToken.None);
            await context.Proxy.ReconcileAsync(context.Server.Id, CancellationToken.None);
            throw new DeploymentFailedException($"The proxy could not be switched to the new container: {switched.Message} The old container keeps serving.");
        }

        _switched = true;
        context.RoutedPort = port;
        await context.Log.InfoAsync($"Switched the proxy to the new container (127.0.0.1:{Text(port)}); {switched.Message}");
        if (_previous is not { } draining)
        {
            return;
        }

        await DrainAsync(context, draining, cancellationToken);
        await context.EnsureOwnedAsync(cancellationToken);
        await context.SetRouteAsync(port, null, cancellationToken);
        var dropped = await context.Proxy.ReconcileAsync(context.Server.Id, cancellationToken);
        if (!dropped.Succeeded)
        {
            // The new container serves all new requests already; the old one is only still listed behind it.
            await context.Log.ErrorAsync($"The old container could not be dropped from the proxy's config: {dropped.Message}");
        }
    }

    public async Task CompensateAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        if (!_switched || context.OldContainersRetired)
        {
            // Not switched yet: the route was never touched. Retired: the old container is gone, the route stays on the new one.
            return;
        }

        // A later step failed (or the run was cancelled) while the old container still runs: route back to it.
        await context.SetRouteAsync(_previous, null, cancellationToken);
        var result = await context.Proxy.ReconcileAsync(context.Server.Id, cancellationToken);
        context.RoutedPort = _previous;
        await context.Log.InfoAsync(result.Succeeded
            ? $"Routed the proxy back to the previous container{(_previous is { } p ? $" (127.0.0.1:{Text(p)})" : string.Empty)}."
            : $"Could not route the proxy back to the previous container: {result.Message}");
    }

    /// <summary>Health as the proxy will see it: the health check's request (or any HTTP answer) at 127.0.0.1:port on the server.</summary>
    private static async Task CheckFromProxySideAsync(DeploymentContext context, int port, CancellationToken cancellationToken)
    {
        var app = context.Application;
        var probe = new HttpProbe("http", "127.0.0.1", port, app.HealthCheckEnabled ? app.HealthCheckPath : "/", app.HealthCheckEnabled ? app.HealthCheckMethod : "GET",
            app.HealthCheckHost, TimeSpan.FromSeconds(Math.Clamp(app.HealthCheckTimeout, 1, 30)));
        string last = "no answer";
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var result = await context.Prober.ProbeAsync(context.Server, probe, cancellationToken);
            if (result.StatusCode is { } code && (!app.HealthCheckEnabled || code == app.HealthCheckReturnCode))
            {
                await context.Log.InfoAsync($"The new container answers at 127.0.0.1:{Text(port)}, where the proxy reaches it (HTTP {Text(code)}).");
                return;
            }

            last = result.StatusCode is { } status ? $"HTTP {Text(status)}" : result.Error ?? "no answer";
            await Task.Delay(context.Options.PollInterval, context.Clock, cancellationToken);
        }

        throw new DeploymentFailedException($"The new container does not answer at 127.0.0.1:{Text(port)}, where the proxy would reach it ({last}); the old container keeps serving.");
    }

    /// <summary>Waits until the proxy has no request in flight to the old container, or the application's stop grace has passed.</summary>
    private static async Task DrainAsync(DeploymentContext context, int draining, CancellationToken cancellationToken)
    {
        var grace = TimeSpan.FromSeconds(context.Application.StopGracePeriod);
        var started = Stopwatch.GetTimestamp();
        int? inFlight = null;
        while (Stopwatch.GetElapsedTime(started) < grace)
        {
            inFlight = await context.Proxy.InFlightAsync(context.Server.Id, draining, cancellationToken);
            if (inFlight == 0)
            {
                await context.Log.InfoAsync($"The old container has no request in flight (after {Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms).");
                return;
            }

            await Task.Delay(DrainPoll, context.Clock, cancellationToken);
        }

        await context.Log.InfoAsync(inFlight is { } left
            ? $"The old container still had {Text(left)} request(s) in flight when its {Text(context.Application.StopGracePeriod)} s stop grace ended."
            : "The proxy did not say how many requests the old container has in flight; its stop grace has passed.");
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
