using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Slipway.Core.Execution;
using Slipway.Core.Validation;

namespace Slipway.Infrastructure.Execution;

/// <summary>
/// Turns a <see cref="CommandSpec"/> into the one string an SSH exec request carries, using only
/// <see cref="ShellQuoting"/>: <c>exec sh -c '&lt;script&gt;' &lt;program&gt; &lt;args…&gt;</c>. The program and its
/// arguments reach <c>sh</c> as positional parameters and are never parsed again. The script sets a fixed PATH,
/// changes directory, checks that the program exists, prints a marker line with its PID and then <c>exec</c>s the
/// program through <c>env -i</c> with the environment Slipway controls: the whole chain (login shell, <c>sh</c>,
/// <c>env</c>, program) is one process, so
/// <list type="bullet">
/// <item>the PID in the marker is the program's PID and, because sshd starts every session as its own process
/// group, also the group that cancellation kills (a shell that is not a group leader <c>exec</c>s through
/// <c>setsid</c>, which then needs no fork);</item>
/// <item>no process stays behind holding the script, and with it the environment values, in its argv;</item>
/// <item>nothing waits on the program to print "Killed" or rewrite its exit status: a death by signal reaches sshd
/// as an exit signal.</item>
/// </list>
/// </summary>
internal sealed class RemoteCommandLine
{
    /// <summary>
    /// sshd hands the command to the login shell as the single argument of <c>-c</c>, and Linux limits one
    /// argument to 128 KiB (MAX_ARG_STRLEN): beyond that the exec fails with "Argument list too long".
    /// </summary>
    public const int MaxLength = 128 * 1024;

    private RemoteCommandLine(string text, string marker)
    {
        Text = text;
        Marker = marker;
    }

    /// <summary>The exec request. It contains environment values: never log it (log the spec's display string).</summary>
    public string Text { get; }

    /// <summary>A per-command random word that starts the marker line; nothing a program prints can guess it.</summary>
    public string Marker { get; }

    public static RemoteCommandLine Build(CommandSpec command)
    {
        var marker = "slipway-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        // The program starts with an environment Slipway controls (CommandEnvironment): env -i drops everything the
        // login brought, then come the command's own variables, then the fixed PATH and the login's HOME, last so
        // that nothing before them can replace them (env applies assignments in order). Every assignment is one
        // quoted word for env(1), which also takes names a shell could not export (Slipway allows dots, as in
        // "spring.profiles.active"). The API's rule for names (letters, digits, _ and .) is checked again here: it
        // never lets '=' or a leading '-' through, which env would misread.
        var environment = new StringBuilder("env -i ");
        foreach (var (key, value) in CommandEnvironment.Own(command))
        {
            if (TextRules.CheckEnvKey(key) is not null)
            {
                throw new ArgumentException($"'{key}' is not a valid environment variable name.", nameof(command));
            }

            environment.Append(ShellQuoting.Quote(key + "=" + value)).Append(' ');
        }

        environment.Append(ShellQuoting.Quote("PATH=" + CommandEnvironment.RemotePath)).Append(" HOME=\"$HOME\" ");

        // The script finds programs (its own setsid and env included) on the same fixed PATH the program gets.
        var script = new StringBuilder("PATH=").Append(ShellQuoting.Quote(CommandEnvironment.RemotePath)).Append('\n');
        // Always an explicit directory: the command's, else the login's home (where relative paths such as the work
        // root are meant to start), never wherever the login's profile left the shell.
        var directory = string.IsNullOrEmpty(command.WorkingDirectory) ? "\"${HOME:-/}\"" : ShellQuoting.Quote(command.WorkingDirectory);
        script.Append("cd ").Append(directory)
            .Append(" 2>/dev/null || { echo ").Append(ShellQuoting.Quote(marker + " " + RemoteStart.NoDirectoryWord)).Append("; exit 126; }\n");
        script.Append("command -v \"$0\" >/dev/null 2>&1 || { echo ").Append(ShellQuoting.Quote(marker + " " + RemoteStart.NotFoundWord)).Append("; exit 127; }\n");
        // Field 5 of /proc/PID/stat is the process group; "(sh)" before it has no spaces.
        script.Append("slipway_group=$$; [ -r /proc/$$/stat ] && read -r _ _ _ _ slipway_group _ </proc/$$/stat\n");
        script.Append("echo ").Append(ShellQuoting.Quote(marker)).Append(" \"$$\"\n");
        script.Append("[ \"$slipway_group\" = \"$$\" ] || exec setsid ").Append(environment).Append("\"$0\" \"$@\"\n");
        script.Append("exec ").Append(environment).Append("\"$0\" \"$@\"");

        var words = new List<string>(command.Arguments.Count + 3) { "sh", "-c", script.ToString(), command.Program };
        words.AddRange(command.Arguments.Select(a => a.Value));
        var text = "exec " + ShellQuoting.Join(words);
        var size = Encoding.UTF8.GetByteCount(text);
        if (size >= MaxLength)
        {
            throw new ArgumentException(
                $"The command is {size:N0} bytes once quoted; a remote shell accepts at most {MaxLength:N0} in one command line. Pass large data as standard input or a file.",
                nameof(command));
        }

        return new RemoteCommandLine(text, marker);
    }

    /// <summary>Reads the marker line, or returns null for any other line (output of the login shell's start-up files).</summary>
    public RemoteStart? ParseMarker(string line)
    {
        if (!line.StartsWith(Marker + " ", StringComparison.Ordinal))
        {
            return null;
        }

        var word = line[(Marker.Length + 1)..];
        return word switch
        {
            RemoteStart.NotFoundWord => RemoteStart.NotFound,
            RemoteStart.NoDirectoryWord => RemoteStart.NoDirectory,
            _ when int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) => RemoteStart.Running(pid),
            _ => null,
        };
    }

}
