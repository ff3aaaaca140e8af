using Microsoft.EntityFrameworkCore;
using Slipway.Core.Common;
using Slipway.Core.Webhooks;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Webhooks;

/// <summary>
/// Records deliveries (accepted or refused, never the body or a secret) and finds earlier answers to a repeated
/// delivery id. Anyone can post to a webhook URL, so the table is kept bounded: the newest
/// <see cref="KeptPerApplication"/> rows per application, and as many without one.
/// </summary>
public sealed class WebhookDeliveryLog(IDbContextFactory<SlipwayDbContext> contexts, TimeProvider clock)
{
    public const int KeptPerApplication = 1000;

    /// <summary>What every row of one delivery shares.</summary>
    public sealed record Envelope(string Provider, string Event, string DeliveryId, string? Action = null, string? Repository = null,
        string? Branch = null, int? PullRequestId = null, string? Commit = null);

    public sealed record Row(long? ApplicationId, bool Verified, string Result, string Message, int StatusCode, IReadOnlyList<string> DeploymentUuids);

    public async Task RecordAsync(Envelope envelope, IReadOnlyList<Row> rows, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = Timestamps.Now(clock);
        foreach (var row in rows)
        {
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                ApplicationId = row.ApplicationId,
                Provider = envelope.Provider,
                Event = Bounded(envelope.Event, 128) ?? string.Empty,
                Action = Bounded(envelope.Action, 64),
                DeliveryId = Bounded(envelope.DeliveryId, 128) ?? string.Empty,
                Repository = Bounded(envelope.Repository, 512),
                Branch = Bounded(envelope.Branch, 255),
                PullRequestId = envelope.PullRequestId,
                Commit = Bounded(envelope.Commit, 255),
                Verified = row.Verified,
                Result = row.Result,
                Message = Bounded(row.Message, 1024) ?? string.Empty,
                StatusCode = row.StatusCode,
                DeploymentUuids = Bounded(string.Join(',', row.DeploymentUuids), 1024) is { Length: > 0 } uuids ? uuids : null,
                CreatedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var applicationId in rows.Select(r => r.ApplicationId).Distinct())
        {
            await PruneAsync(db, applicationId, cancellationToken);
        }
    }

    /// <summary>Each application's final (not retryable) answer to this verified delivery id, if it had one.</summary>
    public async Task<IReadOnlyDictionary<long, WebhookDelivery>> FindAnsweredAsync(
        string provider, string deliveryId, IReadOnlyCollection<long> applicationIds, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Provider == provider && d.DeliveryId == deliveryId && d.Verified && d.ApplicationId != null
                && EF.Parameter(applicationIds.ToArray()).Contains(d.ApplicationId.Value))
            .OrderBy(d => d.Id)
            .ToListAsync(cancellationToken);
        return rows.Where(r => WebhookOutcome.IsFinal(r.Result))
            .GroupBy(r => r.ApplicationId!.Value)
            .ToDictionary(g => g.Key, g => g.First());
    }

    /// <summary>Cuts to the newest rows: one query for the cut-off id, one delete, and only when there is something to cut.</summary>
    private static async Task PruneAsync(SlipwayDbContext db, long? applicationId, CancellationToken cancellationToken)
    {
        var cutoff = await db.WebhookDeliveries.Where(d => d.ApplicationId == applicationId)
            .OrderByDescending(d => d.Id).Skip(KeptPerApplication).Select(d => (long?)d.Id).FirstOrDefaultAsync(cancellationToken);
        if (cutoff is { } id)
        {
            await db.WebhookDeliveries.Where(d => d.ApplicationId == applicationId && d.Id <= id).ExecuteDeleteAsync(cancellationToken);
        }
    }

    /// <summary>Fits a value into its column (PostgreSQL refuses longer text outright).</summary>
    public static string? Bounded(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}
