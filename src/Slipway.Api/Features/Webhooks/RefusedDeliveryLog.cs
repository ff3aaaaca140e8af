using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Common;
using Slipway.Core.Webhooks;
using Slipway.Infrastructure.Data;
using static Slipway.Api.Features.Webhooks.WebhookDeliveryLog;

namespace Slipway.Api.Features.Webhooks;

/// <summary>
/// Records deliveries no application's secret verified, in their own table (<see cref="RefusedWebhookDelivery"/>) so
/// that nobody posting to a webhook URL can push out an application's history of what its git host sent. The table
/// keeps the newest <see cref="WebhookOptions.RefusedKept"/> rows, and each source address may add
/// <see cref="WebhookOptions.RefusedPerMinute"/> a minute (a token bucket per address; an IPv6 sender per /64):
/// past that a refusal is answered 429 and neither recorded nor logged.
/// </summary>
public sealed class RefusedDeliveryLog : IDisposable
{
    private readonly IDbContextFactory<SlipwayDbContext> _contexts;
    private readonly TimeProvider _clock;
    private readonly WebhookOptions _options;
    private readonly PartitionedRateLimiter<string> _limiter;

    public RefusedDeliveryLog(IDbContextFactory<SlipwayDbContext> contexts, TimeProvider clock, WebhookOptions options)
    {
        _contexts = contexts;
        _clock = clock;
        _options = options;
        _limiter = PartitionedRateLimiter.Create<string, string>(source => RateLimitPartition.GetTokenBucketLimiter(source, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.RefusedPerMinute,
            TokensPerPeriod = options.RefusedPerMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Records the refusal unless the source address is over its rate; false (nothing recorded) when it is.</summary>
    public async Task<bool> TryRecordAsync(Envelope envelope, IPAddress? source, IReadOnlyList<Row> rows, CancellationToken cancellationToken)
    {
        using var lease = _limiter.AttemptAcquire(PartitionKey(source));
        if (!lease.IsAcquired)
        {
            return false;
        }

        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var now = Timestamps.Now(_clock);
        var address = source is null ? null : Normalize(source).ToString();
        foreach (var row in rows)
        {
            db.RefusedWebhookDeliveries.Add(new RefusedWebhookDelivery
            {
                ApplicationId = row.ApplicationId,
                Provider = envelope.Provider,
                Event = Bounded(envelope.Event, 128) ?? string.Empty,
                DeliveryId = Bounded(envelope.DeliveryId, 128) ?? string.Empty,
                Repository = Bounded(envelope.Repository, 512),
                SourceAddress = Bounded(address, 64),
                Result = row.Result,
                Message = Bounded(row.Message, 1024) ?? string.Empty,
                StatusCode = row.StatusCode,
                CreatedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        var cutoff = await db.RefusedWebhookDeliveries.OrderByDescending(d => d.Id).Skip(_options.RefusedKept).Select(d => (long?)d.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (cutoff is { } id)
        {
            await db.RefusedWebhookDeliveries.Where(d => d.Id <= id).ExecuteDeleteAsync(cancellationToken);
        }

        return true;
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>One bucket per IPv4 address, per IPv6 /64 (a single host can use a whole /64), one for an unknown sender.</summary>
    private static string PartitionKey(IPAddress? source)
    {
        if (source is null)
        {
            return "unknown";
        }

        var address = Normalize(source);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
