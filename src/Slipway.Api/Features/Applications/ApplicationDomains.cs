using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Applications;
using Slipway.Core.Servers;
using Slipway.Core.Validation;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Applications;

/// <summary>
/// Who may route a domain: a host and path belongs to one application or preview at a time. Taking one that another
/// of the team's applications has is a 409 listing the conflicts, unless <c>force_domain_override</c> moves it (and
/// says so in the log); another team's domain is never moved and never named.
/// </summary>
internal static partial class ApplicationDomains
{
    public const string ConflictMessage = "Domain conflicts detected. Use force_domain_override=true to proceed.";
    public const string OtherTeamMessage = "Domain conflicts detected: a domain is in use by another team and cannot be taken.";
    public const string ConflictWarning = "Using the same domain for multiple resources can cause routing conflicts and unpredictable behavior.";

    /// <summary>Coolify's default for a new application without domains on a server with a proxy: <c>http://{uuid}.{server ip}.sslip.io</c>.</summary>
    public static void Autogenerate(Application application, Server server, bool? autogenerate)
    {
        if (application.Fqdn is not null || autogenerate == false || !server.Proxy.IsEnabled)
        {
            return;
        }

        var fqdn = $"http://{application.Uuid}.{server.Ip}.sslip.io";
        if (DomainRules.Check(fqdn) is null)
        {
            application.Fqdn = fqdn;
        }
    }

    /// <summary>
    /// Checks the application's domains against every other application's and preview's. Null when it may have
    /// them (conflicting ones of the team moved when <paramref name="force"/>); else the 409 to answer. The servers
    /// whose routes changed by a move are added to <paramref name="changedServers"/>.
    /// </summary>
    public static async Task<Conflict<DomainConflictResponse>?> ClaimAsync(
        SlipwayDbContext db, Application application, bool force, ISet<long> changedServers, ILogger logger, CancellationToken cancellationToken)
    {
        var wanted = DomainRules.ParseStored(application.Fqdn).Select(d => d.RouteKey).ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return null;
        }

        var applications = await db.Applications
            .Where(a => a.Id != application.Id && a.Fqdn != null)
            .Select(a => new Owner(a.Id, 0, a.Uuid, a.Name, a.TeamId, a.ServerId, a.Fqdn!))
            .ToListAsync(cancellationToken);
        var previews = await db.ApplicationPreviews
            .Where(p => p.ApplicationId != application.Id && p.Fqdn != null)
            .Join(db.Applications, p => p.ApplicationId, a => a.Id, (p, a) => new Owner(p.Id, p.PullRequestId, a.Uuid, a.Name, a.TeamId, p.ServerId, p.Fqdn!))
            .ToListAsync(cancellationToken);
        var conflicts = new List<(Owner Owner, string Key)>();
        foreach (var owner in applications.Concat(previews))
        {
            conflicts.AddRange(DomainRules.ParseStored(owner.Fqdn).Where(d => wanted.Contains(d.RouteKey)).Select(d => (owner, d.RouteKey)));
        }

        if (conflicts.Count == 0)
        {
            return null;
        }

        var otherTeam = conflicts.Any(c => c.Owner.TeamId != application.TeamId);
        if (!force || otherTeam)
        {
            var entries = conflicts.Select(c => Describe(c.Owner, c.Key, application.TeamId)).ToList();
            return TypedResults.Conflict(new DomainConflictResponse(otherTeam && force ? OtherTeamMessage : ConflictMessage, ConflictWarning, entries));
        }

        await MoveAsync(db, application, conflicts, changedServers, logger, cancellationToken);
        return null;
    }

    private static async Task MoveAsync(
        SlipwayDbContext db, Application application, List<(Owner Owner, string Key)> conflicts, ISet<long> changedServers, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var group in conflicts.GroupBy(c => (c.Owner.Id, c.Owner.PullRequestId)))
        {
            var owner = group.First().Owner;
            var keys = group.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            changedServers.Add(owner.ServerId);
            if (owner.PullRequestId == 0)
            {
                var other = await db.Applications.FirstAsync(a => a.Id == owner.Id, cancellationToken);
                other.Fqdn = DomainRules.Join(DomainRules.ParseStored(other.Fqdn).Where(d => !keys.Contains(d.RouteKey)));
            }
            else
            {
                var preview = await db.ApplicationPreviews.FirstAsync(p => p.Id == owner.Id, cancellationToken);
                preview.Fqdn = DomainRules.Join(DomainRules.ParseStored(preview.Fqdn).Where(d => !keys.Contains(d.RouteKey)));
            }

            foreach (var key in keys)
            {
                LogMovedFrom(logger, key, owner.Uuid, owner.PullRequestId, application.Uuid);
                LogMovedTo(logger, key, application.Uuid, owner.Uuid);
            }
        }
    }

    private static DomainConflictEntry Describe(Owner owner, string key, long teamId)
    {
        if (owner.TeamId != teamId)
        {
            return new DomainConflictEntry(key, "another team's resource", null, "application", $"Domain {key} is already in use by another team.");
        }

        var what = owner.PullRequestId == 0 ? $"application '{owner.Name}'" : $"the preview of pull request #{owner.PullRequestId} of application '{owner.Name}'";
        return new DomainConflictEntry(key, owner.Name, owner.Uuid, "application", $"Domain {key} is already in use by {what}");
    }

    private sealed record Owner(long Id, int PullRequestId, string Uuid, string Name, long TeamId, long ServerId, string Fqdn);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information,
        Message = "force_domain_override: domain {Domain} removed from application {From} (pull request {PullRequestId}; 0 = the application itself), moved to {To}.")]
    private static partial void LogMovedFrom(ILogger logger, string domain, string from, int pullRequestId, string to);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "force_domain_override: application {To} took domain {Domain} from application {From}.")]
    private static partial void LogMovedTo(ILogger logger, string domain, string to, string from);
}

/// <summary>Coolify's 409 for domains in use.</summary>
public sealed record DomainConflictResponse(string Message, string Warning, IReadOnlyList<DomainConflictEntry> Conflicts);

public sealed record DomainConflictEntry(string Domain, string ResourceName, string? ResourceUuid, string ResourceType, string Message);
