namespace Slipway.Core.Applications;

/// <summary>The build packs Slipway supports, by their Coolify wire names.</summary>
public static class BuildPack
{
    public const string Dockerfile = "dockerfile";
    public const string Static = "static";
    public const string DockerImage = "dockerimage";

    public static readonly IReadOnlyList<string> All = [Dockerfile, Static, DockerImage];

    /// <summary>Coolify build packs Slipway recognises but does not build; naming them gives a clear 422.</summary>
    public static readonly IReadOnlyList<string> Unsupported = ["nixpacks", "railpack", "dockercompose"];

    public static bool IsSupported(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);
}
