namespace Slipway.Api.Http.Fields;

/// <summary>What null means for a field, composed around a value rule (rules get the field's wire name).</summary>
public static class Rules
{
    /// <summary>Any value, null included: the handler reads it.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE0060", Justification = "A rule's signature: it accepts whatever it is given.")]
    public static string? Any<TValue>(TValue? value, string field) => null;

    /// <summary>A string field that is sent must hold a value: null is "The X field must not be null.".</summary>
    public static Func<string?, string, string?> NotNull(Func<string, string, string?> rule) =>
        (value, field) => value is null ? MustNotBeNull(field) : rule(value, field);

    /// <summary>An integer field that is sent must hold a value that passes <paramref name="rule"/>.</summary>
    public static Func<int?, string, string?> NotNullInt(Func<int, string, string?> rule) =>
        (value, field) => value is null ? MustNotBeNull(field) : rule(value.Value, field);

    /// <summary>Null or an empty string clears the value (the assignment gets null); anything else must pass <paramref name="rule"/>.</summary>
    public static Func<string?, string, string?> Clearable(Func<string, string, string?> rule) =>
        (value, field) => string.IsNullOrEmpty(value) ? null : rule(value, field);

    /// <summary>A flag that is sent must be true or false.</summary>
    public static string? Boolean(bool? value, string field) => value is null ? MustNotBeNull(field) : null;

    /// <summary>An integer within [minimum, maximum].</summary>
    public static Func<int?, string, string?> Between(int minimum, int maximum) =>
        NotNullInt((value, field) => value >= minimum && value <= maximum ? null : $"The {field} must be between {minimum} and {maximum}.");

    private static string MustNotBeNull(string field) => $"The {field} field must not be null.";
}
