namespace Slipway.IntegrationTests.Fixtures;

/// <summary>Looks at processes of this machine through /proc (the SSH tests run against an sshd on loopback, so remote PIDs are local too).</summary>
internal static class LocalProcesses
{
    /// <summary>True when the PID no longer names a live process (gone, or a zombie waiting to be reaped).</summary>
    public static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is "Z" or "X";
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return true;
        }
    }

    /// <summary>What the process is blocked on, e.g. <c>anon_pipe_write</c> for a writer whose pipe is full.</summary>
    public static string WaitChannel(int pid) => File.ReadAllText($"/proc/{pid}/wchan");

    public static void KillIfRunning(int pid)
    {
        try
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException)
        {
        }
    }
}
