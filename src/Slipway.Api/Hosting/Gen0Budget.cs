using System.Runtime;
using System.Runtime.InteropServices;

namespace Slipway.Api.Hosting;

/// <summary>
/// Caps the garbage collector's gen0 budget of a serving process: <c>slipway serve</c>, and the benchmark hosts that
/// stand in for it (eng/ShippedRuntime.props holds the rest of the runtime settings it ships with).
/// </summary>
/// <remarks>
/// The workstation GC sizes gen0 from the largest CPU cache (5/8 of 4/5 of the L3): 130 MiB on a machine with a
/// 260 MiB L3, where an idle server then held 216 MiB after 2,000 reads instead of 149 (bench/idle-rss.sh). The runtime
/// takes a smaller budget only from the <c>DOTNET_GCgen0size</c> environment variable, read as it starts (no
/// runtimeconfig.json name reaches it, nor does <c>System.GC.HeapHardLimit</c> cap it; both measured), so the server
/// replaces itself once, at once, with <c>execve</c>: same process id, arguments and environment, plus that variable.
/// A value the user set is kept and nothing is re-executed.
/// </remarks>
public static partial class Gen0Budget
{
    public const string Variable = "DOTNET_GCgen0size";

    /// <summary>6 MiB: below it the idle figure did not fall further; above it, it rose (16 MiB: +11 MiB).</summary>
    public const string Value = "0x600000";

    /// <summary>
    /// Re-executes this process with <see cref="Variable"/> set when it is not. Returns only when nothing was done
    /// (not Linux, the variable already set, server GC, or <c>execve</c> refused): the server then runs with the
    /// runtime's budget.
    /// </summary>
    public static void EnsureCapped()
    {
        // Server GC (DOTNET_gcServer=1) is a choice of throughput over memory, the budget it comes with included.
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Variable) is not null || GCSettings.IsServerGC)
        {
            return;
        }

        string[] argv;
        try
        {
            // The exact argv this process was started with (the apphost's, or dotnet's with its own options), which
            // Environment.GetCommandLineArgs does not keep; /proc/self/exe is the same binary even if its path moved.
            argv = SplitCommandLine(File.ReadAllText("/proc/self/cmdline"));
            // The runtime's diagnostic socket (dotnet-counters, dotnet-dump, dotnet-trace) is named after the process id
            // and start time, which execve keeps; the replacing runtime cannot listen on it while this one's file is there.
            foreach (var socket in Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{Environment.ProcessId}-*-socket"))
            {
                File.Delete(socket);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }

        string[] environment = [.. Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => $"{e.Key}={e.Value}")];
        // execve returns only when it failed; the server then goes on with the runtime's budget (and, its socket file
        // removed above, without dotnet-counters).
        _ = Execve("/proc/self/exe", [.. argv, null], [.. environment, $"{Variable}={Value}", null]);
    }

    /// <summary>
    /// /proc/PID/cmdline's arguments: each one ends in a NUL, so only the last NUL goes; an empty last argument
    /// (<c>--trusted-proxies ""</c>) is kept.
    /// </summary>
    private static string[] SplitCommandLine(string cmdline) =>
        (cmdline.EndsWith('\0') ? cmdline[..^1] : cmdline).Split('\0');

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Execve(string path, string?[] argv, string?[] envp);
}
