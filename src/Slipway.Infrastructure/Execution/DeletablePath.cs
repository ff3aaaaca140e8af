namespace Slipway.Infrastructure.Execution;

/// <summary>
/// The guard in front of every recursive delete: a work directory path must name something below a root, never
/// the root itself, the home directory or a parent reached through <c>..</c>.
/// </summary>
internal static class DeletablePath
{
    public static void EnsureSafe(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.Trim().TrimEnd('/');
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (trimmed.Length == 0 || trimmed is "." or ".." or "~" || segments.Length == 0
            || segments.Any(s => s is ".." || s.Trim().Length == 0) || segments.All(s => s is "."))
        {
            throw new ArgumentException($"Refusing to delete '{path}': only a directory below a work root can be deleted.", nameof(path));
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A path cannot contain a NUL character.", nameof(path));
        }
    }
}
