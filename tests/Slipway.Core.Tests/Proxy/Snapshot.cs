using System.Runtime.CompilerServices;

namespace Slipway.Core.Tests.Proxy;

/// <summary>
/// Snapshot files next to the tests (<c>Snapshots/NAME.json</c>), compared byte for byte. A changed rendering fails
/// with both texts; after checking the difference, <c>SLIPWAY_UPDATE_SNAPSHOTS=1</c> rewrites the files. Kept to
/// these few lines rather than a snapshot package: nothing here needs more than file equality.
/// </summary>
internal static class Snapshot
{
    public static void Match(string name, string actual, [CallerFilePath] string testFile = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots", name + ".json");
        var normalized = actual.ReplaceLineEndings("\n") + "\n";
        if (Environment.GetEnvironmentVariable("SLIPWAY_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, normalized);
            return;
        }

        Assert.True(File.Exists(path), $"No snapshot {path}; run with SLIPWAY_UPDATE_SNAPSHOTS=1 to write it, then review it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), normalized);
    }
}
