using System.Globalization;
using Slipway.Core.Tokens;
using Slipway.Core.Users;

namespace Slipway.Core.Validation;

/// <summary>
/// What a new API token may be, judged the same way wherever one is made (the dashboard's token page and
/// <c>slipway tokens create</c>): a name, at least one ability and each a known one, never an ability beyond its
/// creator's own (<see cref="UserRoles.MayGrant"/>), and an optional expiry of 1 to <see cref="MaxExpiryDays"/> days.
/// </summary>
public static class TokenRules
{
    public const int MaxExpiryDays = 3650;
    public const string NameField = "name";
    public const string AbilitiesField = "abilities";
    public const string ExpiryField = "expires_in_days";
    public const string NoAbilityMessage = "Choose at least one ability.";
    public const string BeyondOwnMessage = "A token may not have abilities beyond your own.";

    public static readonly string ExpiryMessage = string.Create(CultureInfo.InvariantCulture, $"The expiry must be a whole number of days from 1 to {MaxExpiryDays}.");

    /// <summary>A token request that passed every rule.</summary>
    public sealed record TokenRequest(string Name, ApiAbility Abilities, int? ExpiresInDays);

    /// <summary>
    /// Checks a request to create a token for someone with <paramref name="creatorAbilities"/>; the messages by field
    /// (<see cref="NameField"/>, <see cref="AbilitiesField"/>, <see cref="ExpiryField"/>), none when it is valid.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Check(
        string? name, IEnumerable<string> abilityNames, string? expiresInDays, ApiAbility creatorAbilities, out TokenRequest? request)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (TextRules.CheckName(name, NameField) is { } nameError)
        {
            errors[NameField] = nameError;
        }

        if (CheckAbilities(abilityNames, creatorAbilities, out var abilities) is { } abilityError)
        {
            errors[AbilitiesField] = abilityError;
        }

        if (CheckExpiryDays(expiresInDays, out var days) is { } expiryError)
        {
            errors[ExpiryField] = expiryError;
        }

        request = errors.Count == 0 ? new TokenRequest(name!.Trim(), abilities, days) : null;
        return errors;
    }

    /// <summary>The abilities named (blank names ignored), or why they cannot be a token's.</summary>
    public static string? CheckAbilities(IEnumerable<string> names, ApiAbility creatorAbilities, out ApiAbility abilities)
    {
        abilities = ApiAbilities.Parse(string.Join(',', names), out var unknown);
        if (unknown.Count > 0)
        {
            return $"Unknown {(unknown.Count == 1 ? "ability" : "abilities")}: {string.Join(", ", unknown)}; use {string.Join(", ", ApiAbilities.AllNames)}.";
        }

        if (abilities == ApiAbility.None)
        {
            return NoAbilityMessage;
        }

        return UserRoles.MayGrant(creatorAbilities, abilities) ? null : BeyondOwnMessage;
    }

    /// <summary>Days until the token expires: empty for never, else a whole number from 1 to <see cref="MaxExpiryDays"/>.</summary>
    public static string? CheckExpiryDays(string? text, out int? days)
    {
        days = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 1 and <= MaxExpiryDays)
        {
            days = parsed;
            return null;
        }

        return ExpiryMessage;
    }
}
