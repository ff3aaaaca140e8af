namespace Slipway.Core.Engine.Health;

/// <summary>
/// What the HTTP check and the command check share: the start period, then up to <c>health_check_retries</c>
/// attempts <c>health_check_interval</c> apart, each made only while the new container still runs, each logged.
/// </summary>
internal static class HealthAttempts
{
    /// <summary>One attempt's verdict: <paramref name="Shown"/> ends its log line; <paramref name="Last"/> is quoted if every attempt fails.</summary>
    public readonly record struct Outcome(bool Healthy, string Shown, string Last);

    /// <summary>
    /// Null when an attempt passed (and <paramref name="whenHealthy"/>, if given, found nothing wrong); else why the
    /// check failed. <paramref name="known"/> is a state read just before, used for the first attempt when there is no
    /// start period (no second docker call); <paramref name="what"/> names the check in the final message.
    /// </summary>
    public static async Task<string?> RunAsync(
        DeploymentContext context,
        string container,
        ContainerState? known,
        string what,
        Func<ContainerState, Task<Outcome>> attempt,
        Func<ContainerState, Task<string?>>? whenHealthy,
        CancellationToken cancellationToken)
    {
        var app = context.Application;
        if (app.HealthCheckStartPeriod > 0)
        {
            await context.Log.InfoAsync($"Waiting {app.HealthCheckStartPeriod}s (health_check_start_period) before the first check.");
            await Task.Delay(TimeSpan.FromSeconds(app.HealthCheckStartPeriod), context.Clock, cancellationToken);
        }

        var retries = Math.Max(app.HealthCheckRetries, 1);
        string last = "no attempt was made";
        for (var number = 1; number <= retries; number++)
        {
            var current = number == 1 && app.HealthCheckStartPeriod == 0 && known is not null
                ? known
                : await ContainerState.InspectAsync(context, container, cancellationToken);
            if (current is not { Running: true })
            {
                return $"the container stopped (status {current?.Status ?? "gone"}, exit code {current?.ExitCode}).";
            }

            var outcome = await attempt(current);
            last = outcome.Last;
            await context.Log.InfoAsync($"Attempt {number} of {retries} | Healthcheck status: \"{(outcome.Healthy ? "healthy" : "unhealthy")}\" | {outcome.Shown}");
            if (outcome.Healthy)
            {
                return whenHealthy is null ? null : await whenHealthy(current);
            }

            if (number < retries)
            {
                await Task.Delay(TimeSpan.FromSeconds(app.HealthCheckInterval), context.Clock, cancellationToken);
            }
        }

        return $"{retries} attempt(s){what} failed; last: {last}.";
    }
}
