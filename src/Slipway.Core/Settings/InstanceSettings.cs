namespace Slipway.Core.Settings;

/// <summary>Instance-wide switches, bound from the <c>Slipway</c> configuration section.</summary>
public sealed class InstanceSettings
{
    /// <summary>
    /// Allow <c>file://</c> repositories (off by default: a path on the Slipway host is not something an API caller
    /// should be able to clone). Environment variable <c>SLIPWAY_ALLOW_LOCAL_REPOSITORIES</c>.
    /// </summary>
    public bool AllowLocalRepositories { get; set; }
}
