using System.Globalization;
using Slipway.Core.Execution;

namespace Slipway.Core.Commands;

/// <summary>Commands about processes on a target, for cleaning up after a Slipway process that died.</summary>
public static class ProcessCommands
{
    /// <summary>
    /// Stops the process a dead Slipway recorded in <c>current_process_id</c> — a <c>docker build</c> or <c>git clone</c>
    /// it started lives on after a crash (killing the docker client is what makes the engine abandon the build and
    /// remove its build container). PIDs are reused, so only a process whose command line still names
    /// <paramref name="deploymentUuid"/> (every deployment command carries its work directory or label) is touched:
    /// SIGTERM, up to 10 s to go, then SIGKILL. Exits 0 whatever it finds, and says what it did.
    /// </summary>
    public static CommandSpec StopLeftover(int processId, string deploymentUuid) =>
        CommandSpec.Of("sh", "-c", StopLeftoverScript, "sh", processId.ToString(CultureInfo.InvariantCulture), deploymentUuid);

    // The text after the last ") " of /proc/PID/stat starts with the state; a zombie (Z) has already ended.
    private const string StopLeftoverScript = """
        alive() { [ -r "/proc/$1/stat" ] && read -r line <"/proc/$1/stat" && set -- ${line##*") "} && [ "$1" != Z ]; }
        if ! alive "$1"; then echo "No process $1 is left."; exit 0; fi
        case "$(tr '\000' ' ' <"/proc/$1/cmdline" 2>/dev/null)" in
          *"$2"*) ;;
          *) echo "Process $1 no longer belongs to this deployment; left alone."; exit 0 ;;
        esac
        kill -TERM "$1" 2>/dev/null
        i=0
        while alive "$1" && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
        if alive "$1"; then kill -KILL "$1" 2>/dev/null; fi
        echo "Stopped process $1, left running by the interrupted deployment."
        """;
}
