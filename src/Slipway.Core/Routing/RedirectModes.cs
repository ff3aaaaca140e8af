namespace Slipway.Core.Routing;

/// <summary>Coolify's <c>redirect</c> values for an application's www and non-www hosts.</summary>
public static class RedirectModes
{
    /// <summary>A listed host without <c>www.</c> redirects to its <c>www.</c> form.</summary>
    public const string Www = "www";

    /// <summary>A listed <c>www.</c> host redirects to the host without it.</summary>
    public const string NonWww = "non-www";

    /// <summary>No redirect: every listed host is served (the default).</summary>
    public const string Both = "both";

    public static readonly IReadOnlyList<string> All = [Www, NonWww, Both];

    public static string? Check(string? value) =>
        value is not null && All.Contains(value, StringComparer.Ordinal) ? null : "The redirect must be one of www, non-www, both.";
}
