namespace Slipway.Infrastructure.Execution;

/// <summary>SSH reports a death by signal as a signal name; shells (and the local runner) report 128 + its number.</summary>
internal static class ExitSignals
{
    private static readonly Dictionary<string, int> Numbers = new(StringComparer.Ordinal)
    {
        ["HUP"] = 1,
        ["INT"] = 2,
        ["QUIT"] = 3,
        ["ILL"] = 4,
        ["ABRT"] = 6,
        ["FPE"] = 8,
        ["KILL"] = 9,
        ["USR1"] = 10,
        ["SEGV"] = 11,
        ["USR2"] = 12,
        ["PIPE"] = 13,
        ["ALRM"] = 14,
        ["TERM"] = 15,
    };

    /// <summary>128 + the signal number, or -1 when sshd reported neither a status nor a known signal.</summary>
    public static int ToExitCode(string? signal) =>
        signal is not null && Numbers.TryGetValue(signal, out var number) ? 128 + number : -1;
}
