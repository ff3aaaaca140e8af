using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Slipway.Core.Deployments;

/// <summary>
/// Runs <see cref="LogRetention"/> on every instance: once <see cref="LogRetentionOptions.FirstPassDelay"/> after
/// start, then every <see cref="LogRetentionOptions.Interval"/>. A failed pass (the database was away) is logged and
/// the next one tries again.
/// </summary>
public sealed partial class LogRetentionService(
    LogRetention retention, LogRetentionOptions options, TimeProvider clock, ILogger<LogRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(options.FirstPassDelay, clock, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await retention.RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex);
                }

                await Task.Delay(options.Interval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "A log retention pass failed; the next one tries again.")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
