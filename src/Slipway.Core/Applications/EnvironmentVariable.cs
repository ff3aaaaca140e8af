namespace Slipway.Core.Applications;

/// <summary>An application's environment variable. The value is protected at rest.</summary>
public sealed class EnvironmentVariable
{
    public long Id { get; set; }
    public required string Uuid { get; set; }
    public long ApplicationId { get; set; }
    public required string Key { get; set; }
    public required string ProtectedValue { get; set; }

    /// <summary>Belongs to the preview (pull request) set rather than production.</summary>
    public bool IsPreview { get; set; }

    /// <summary>Passed to the image build as a build argument.</summary>
    public bool IsBuildtime { get; set; }

    public bool IsRuntime { get; set; } = true;
    public bool IsLiteral { get; set; }
    public bool IsMultiline { get; set; }

    /// <summary>A locked secret: never returned by the API and redacted from deployment logs.</summary>
    public bool IsShownOnce { get; set; }

    public string? Comment { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
