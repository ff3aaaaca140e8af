using Slipway.Core.Tokens;

namespace Slipway.Core.Users;

/// <summary>
/// A user's role and what it may do, in the API's abilities: owner and admin act as <c>root</c> within their team;
/// a member reads, writes and deploys but never reads secret values (no <c>read:sensitive</c>). Owners and admins
/// manage the team's members; only an owner makes or unmakes another owner.
/// </summary>
public static class UserRoles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Member = "member";

    public static readonly IReadOnlyList<string> All = [Owner, Admin, Member];

    public static bool IsValid(string? role) => role is Owner or Admin or Member;

    public static ApiAbility Abilities(string role) => role switch
    {
        Owner or Admin => ApiAbility.Root,
        Member => ApiAbility.Read | ApiAbility.Write | ApiAbility.Deploy,
        _ => ApiAbility.None,
    };

    /// <summary>Whether a user with <paramref name="role"/> may add, change or remove members.</summary>
    public static bool ManagesMembers(string role) => role is Owner or Admin;

    /// <summary>Whether <paramref name="actor"/> may give a member whose role is <paramref name="targetCurrentRole"/> (null: a new member) the role <paramref name="role"/>, or remove them (null).</summary>
    public static bool MayAssign(string actor, string? targetCurrentRole, string? role) =>
        ManagesMembers(actor) && (actor == Owner || (targetCurrentRole != Owner && role != Owner));

    /// <summary>Abilities a user may put on a new API token: never more than their own (root allows every ability).</summary>
    public static bool MayGrant(ApiAbility own, ApiAbility requested) =>
        own.HasFlag(ApiAbility.Root) || (requested & ~own) == ApiAbility.None;
}
