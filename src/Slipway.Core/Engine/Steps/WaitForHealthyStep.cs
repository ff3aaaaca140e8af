using System.Globalization;
using Slipway.Core.Commands;
using Slipway.Core.Engine.Health;
using Slipway.Core.Execution;
using Slipway.Core.Validation;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// Decides whether the new container is healthy, with Coolify's field names and defaults: an HTTP check
/// (start period, then up to <c>retries</c> attempts every <c>interval</c>, each within <c>timeout</c>) or a
/// command check run in the new container (<see cref="CommandCheck"/>, same timing), else
/// the image's own HEALTHCHECK, else "still running after a short grace". The check proves it is the NEW
/// container that answers: it addresses the container's own IP, or — with host networking — confirms the port
/// is held by the new container's processes. Unhealthy: the container's last log lines go into the log.
/// </summary>
public sealed class WaitForHealthyStep : IDeploymentStep
{
    public string Title => "Checking health";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var container = context.NewContainer!;
        var failure = await CheckAsync(context, container, cancellationToken);
        if (failure is null)
        {
            await context.Log.InfoAsync("New container is healthy.");
            return;
        }

        await context.Log.ErrorAsync($"New container is unhealthy: {failure}");
        await context.Log.ErrorAsync($"Last {context.Options.FailureLogLines} lines of the new container's log:");
        await context.RunAsync(DockerCommands.Logs(container, context.Options.FailureLogLines), cancellationToken, throwOnFailure: false);
        throw new DeploymentFailedException($"New container is unhealthy: {failure}");
    }

    private static async Task<string?> CheckAsync(DeploymentContext context, string container, CancellationToken cancellationToken)
    {
        var state = await WaitUntilStartedAsync(context, container, cancellationToken);
        if (state is null || !state.Running)
        {
            return state is null ? "the container disappeared." : $"the container stopped (status {state.Status}, exit code {state.ExitCode}).";
        }

        var app = context.Application;
        if (app.HealthCheckEnabled && app.HealthCheckType == HealthCheckRules.TypeCmd)
        {
            return await CommandCheck.RunAsync(context, container, cancellationToken);
        }

        if (app.HealthCheckEnabled)
        {
            return await HttpCheckAsync(context, container, state, cancellationToken);
        }

        if (state.ImageHasHealthCheck)
        {
            return await ImageHealthCheckAsync(context, container, cancellationToken);
        }

        await context.Log.InfoAsync("No health check configured: the container must keep running.");
        await Task.Delay(context.Options.StartupGrace, context.Clock, cancellationToken);
        var after = await ContainerState.InspectAsync(context, container, cancellationToken);
        return after is { Running: true, Status: "running" } ? null : $"the container did not stay running (status {after?.Status ?? "gone"}).";
    }

    /// <summary>Waits (up to the start period, at least 5 s) until the container runs or has ended.</summary>
    internal static async Task<ContainerState?> WaitUntilStartedAsync(DeploymentContext context, string container, CancellationToken cancellationToken)
    {
        var deadline = context.Clock.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(context.Application.HealthCheckStartPeriod, 5));
        while (true)
        {
            var state = await ContainerState.InspectAsync(context, container, cancellationToken);
            if (state is null || state.Running || state.HasEnded || context.Clock.GetUtcNow() >= deadline)
            {
                return state;
            }

            await Task.Delay(context.Options.PollInterval, context.Clock, cancellationToken);
        }
    }

    private static async Task<string?> HttpCheckAsync(DeploymentContext context, string container, ContainerState state, CancellationToken cancellationToken)
    {
        var app = context.Application;
        // A preview on host networking listens on its own port; health_check_port names production's.
        var port = context.PreviewPort ?? (app.HealthCheckPort is { } configured ? int.Parse(configured, CultureInfo.InvariantCulture) : context.Port);
        var hostNetwork = state.NetworkMode == "host";
        var address = hostNetwork ? "127.0.0.1" : state.Addresses.Count > 0 ? state.Addresses[0] : null;
        if (address is null)
        {
            return "the container has no IP address to check (network mode " + state.NetworkMode + ").";
        }

        var probe = new HttpProbe(app.HealthCheckScheme, address, port, app.HealthCheckPath, app.HealthCheckMethod,
            app.HealthCheckHost, TimeSpan.FromSeconds(app.HealthCheckTimeout));
        return await HealthAttempts.RunAsync(context, container, state, string.Empty, async _ =>
        {
            var result = await context.Prober.ProbeAsync(context.Server, probe, cancellationToken);
            var healthy = result.StatusCode == app.HealthCheckReturnCode
                && (string.IsNullOrEmpty(app.HealthCheckResponseText) || result.Body.Contains(app.HealthCheckResponseText, StringComparison.Ordinal));
            var last = result.StatusCode is { } code ? $"HTTP {code} from {probe.Method} {app.HealthCheckPath}" : result.Error ?? "no answer";
            return new HealthAttempts.Outcome(healthy, last, last);
        }, async current => hostNetwork && !await PortOwnership.IsOwnedByAsync(context, container, current.Pid, port, cancellationToken)
            ? $"port {port} answered, but it is not held by the new container (another process owns it)."
            : null, cancellationToken);
    }

    private static async Task<string?> ImageHealthCheckAsync(DeploymentContext context, string container, CancellationToken cancellationToken)
    {
        var app = context.Application;
        await context.Log.InfoAsync("Waiting for the image's own HEALTHCHECK.");
        var budget = TimeSpan.FromSeconds(app.HealthCheckStartPeriod + (app.HealthCheckInterval + app.HealthCheckTimeout) * Math.Max(app.HealthCheckRetries, 1));
        var deadline = context.Clock.GetUtcNow() + budget;
        while (context.Clock.GetUtcNow() < deadline)
        {
            var state = await ContainerState.InspectAsync(context, container, cancellationToken);
            switch (state)
            {
                case null or { Running: false }:
                    return $"the container stopped (status {state?.Status ?? "gone"}).";
                case { HealthStatus: "healthy" }:
                    return null;
                case { HealthStatus: "unhealthy" }:
                    return "the image's HEALTHCHECK reports unhealthy.";
            }

            await Task.Delay(context.Options.PollInterval, context.Clock, cancellationToken);
        }

        return $"the image's HEALTHCHECK did not report healthy within {budget.TotalSeconds:0}s.";
    }
}
