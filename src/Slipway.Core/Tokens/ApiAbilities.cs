namespace Slipway.Core.Tokens;

/// <summary>Maps abilities to and from Coolify's wire names.</summary>
public static class ApiAbilities
{
    private static readonly (ApiAbility Ability, string Name)[] Names =
    [
        (ApiAbility.Root, "root"),
        (ApiAbility.Read, "read"),
        (ApiAbility.Write, "write"),
        (ApiAbility.Deploy, "deploy"),
        (ApiAbility.ReadSensitive, "read:sensitive"),
        (ApiAbility.WriteSensitive, "write:sensitive"),
    ];

    public static IEnumerable<string> AllNames => Names.Select(n => n.Name);

    public static string ToName(ApiAbility ability) =>
        Names.FirstOrDefault(n => n.Ability == ability).Name
        ?? throw new ArgumentOutOfRangeException(nameof(ability), ability, "Not a single ability.");

    public static bool TryParse(string name, out ApiAbility ability)
    {
        foreach (var (candidate, candidateName) in Names)
        {
            if (string.Equals(candidateName, name.Trim(), StringComparison.Ordinal))
            {
                ability = candidate;
                return true;
            }
        }

        ability = ApiAbility.None;
        return false;
    }

    /// <summary>Parses a comma-separated list; unknown names are reported, not ignored.</summary>
    public static ApiAbility Parse(string commaSeparated, out IReadOnlyList<string> unknown)
    {
        var result = ApiAbility.None;
        var bad = new List<string>();
        foreach (var part in commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TryParse(part, out var ability))
            {
                result |= ability;
            }
            else
            {
                bad.Add(part);
            }
        }

        unknown = bad;
        return result;
    }

    public static string Format(ApiAbility abilities) =>
        string.Join(',', Names.Where(n => abilities.HasFlag(n.Ability)).Select(n => n.Name));

    public static IReadOnlyList<string> ToList(ApiAbility abilities) =>
        Names.Where(n => abilities.HasFlag(n.Ability)).Select(n => n.Name).ToArray();

    /// <summary>True when <paramref name="granted"/> satisfies any of <paramref name="required"/> (Sanctum's CheckForAnyAbility).</summary>
    public static bool Allows(ApiAbility granted, ApiAbility required) =>
        granted.HasFlag(ApiAbility.Root) || (granted & required) != 0;

    public static bool CanReadSensitive(ApiAbility granted) =>
        (granted & (ApiAbility.Root | ApiAbility.ReadSensitive)) != 0;
}
