using System.Runtime.InteropServices;

namespace Slipway.Api.Hosting;

/// <summary>What <see cref="IdleMemoryTrimmer"/> asks of the runtime: a seam, so its timing is tested without collecting
/// the test process's heap.</summary>
public interface IProcessMemory
{
    /// <summary>Bytes allocated on the managed heap since the process started (only ever grows).</summary>
    long TotalAllocatedBytes { get; }

    /// <summary>Collects, compacts and gives back to the operating system what the process holds and no longer uses.</summary>
    void ReturnUnused();
}

/// <summary>The runtime's own: an aggressive full collection, then glibc's <c>malloc_trim</c>.</summary>
public sealed partial class RuntimeProcessMemory : IProcessMemory
{
    private bool _mallocTrimMissing = !OperatingSystem.IsLinux();

    public long TotalAllocatedBytes => GC.GetTotalAllocatedBytes();

    public void ReturnUnused()
    {
        // Aggressive: every generation compacted and every free region decommitted now, not over the next collections
        // (a region the GC keeps for later stays resident meanwhile).
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (_mallocTrimMissing)
        {
            return;
        }

        try
        {
            // The native heap (SQLite, OpenSSL, the runtime's own) keeps freed pages in its arenas until asked.
            _ = MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
            // musl (Alpine) has no malloc_trim; its allocator returns freed memory by itself.
            _mallocTrimMissing = true;
        }
    }

    // "libc" is the runtime's name for the C library it runs on (libc.so.6 on glibc).
    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
