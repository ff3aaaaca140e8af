using Slipway.Core.Common;
using Slipway.Core.Teams;

namespace Slipway.Api.Features.Teams;

/// <summary>
/// Coolify's <c>Team</c>. Slipway tokens belong to a team directly and there are no user accounts, so
/// <c>members</c> is always empty; onboarding and server limits do not exist here.
/// </summary>
public sealed record TeamResponse(
    long Id,
    string Name,
    string? Description,
    bool PersonalTeam,
    string CreatedAt,
    string UpdatedAt,
    bool ShowBoarding,
    string? CustomServerLimit,
    IReadOnlyList<object> Members)
{
    public static TeamResponse From(Team team) => new(
        team.Id,
        team.Name,
        team.Description,
        team.PersonalTeam,
        Timestamps.ToWire(team.CreatedAt),
        Timestamps.ToWire(team.UpdatedAt),
        ShowBoarding: false,
        CustomServerLimit: null,
        Members: []);
}
