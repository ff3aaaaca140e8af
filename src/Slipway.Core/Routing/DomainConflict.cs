namespace Slipway.Core.Routing;

/// <summary>A domain (host and path) that another application or preview already routes.</summary>
/// <param name="Domain">The domain as the request gave it (normalised).</param>
/// <param name="ApplicationUuid">The application that has it, or null when it belongs to another team (never named).</param>
/// <param name="ApplicationName">That application's name, or null for another team's.</param>
/// <param name="PullRequestId">Non-zero when a preview of that application has it.</param>
public sealed record DomainConflict(string Domain, string? ApplicationUuid, string? ApplicationName, int PullRequestId)
{
    public bool IsOtherTeam => ApplicationUuid is null;
}
