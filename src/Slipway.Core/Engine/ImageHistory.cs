using System.Globalization;
using Slipway.Core.Commands;
using Slipway.Core.Execution;

namespace Slipway.Core.Engine;

/// <summary>An application's images on a server (each tag is a commit), newest first: what can be rolled back to.</summary>
public static class ImageHistory
{
    public sealed record Image(string Tag, DateTime CreatedAt, string Id);

    public static async Task<IReadOnlyList<Image>> ListAsync(ICommandRunner runner, string applicationUuid, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(DockerCommands.ListImages(applicationUuid), throwOnFailure: false, cancellationToken: cancellationToken);
        return Parse(result);
    }

    /// <summary>The images in the answer of <see cref="DockerCommands.ListImages"/>, newest first; none when it failed.</summary>
    public static IReadOnlyList<Image> Parse(CommandResult result)
    {
        if (!result.Succeeded)
        {
            return [];
        }

        return result.StandardOutput
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 3 && parts[0] != "<none>")
            .Select(parts => new Image(parts[0], ParseCreated(parts[1]), parts[2]))
            .OrderByDescending(i => i.CreatedAt)
            .ToList();
    }

    /// <summary>Docker prints <c>2026-11-28 13:25:26 +0000 UTC</c>.</summary>
    public static DateTime ParseCreated(string value)
    {
        var parts = value.Trim().Split(' ');
        if (parts.Length < 3
            || !DateTime.TryParseExact($"{parts[0]} {parts[1]}", "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            || parts[2].Length != 5
            || !int.TryParse(parts[2].AsSpan(1, 2), CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(parts[2].AsSpan(3, 2), CultureInfo.InvariantCulture, out var minutes))
        {
            return DateTime.MinValue;
        }

        var offset = new TimeSpan(hours, minutes, 0);
        var utc = parts[2][0] == '-' ? local + offset : local - offset;
        return DateTime.SpecifyKind(utc, DateTimeKind.Utc);
    }
}
