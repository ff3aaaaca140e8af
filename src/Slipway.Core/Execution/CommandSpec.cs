using Slipway.Core.Deployments;

namespace Slipway.Core.Execution;

/// <summary>
/// A command as data: a program and its argument list, never a shell string. Locally the arguments go to
/// <c>ProcessStartInfo.ArgumentList</c>; over SSH they are quoted by <see cref="ShellQuoting"/>, the one place
/// that quotes.
/// </summary>
/// <param name="Program">The executable, e.g. <c>docker</c> or <c>git</c>.</param>
/// <param name="Arguments">The arguments, each passed as one argv entry.</param>
/// <param name="Environment">
/// Extra environment variables for the process (build-argument values, <c>GIT_SSH_COMMAND</c>). Values are
/// treated as secrets: never logged, never shown in the display string.
/// </param>
/// <param name="WorkingDirectory">Directory to run in; relative paths are relative to the target's home.</param>
/// <param name="StandardInput">Text written to the process's standard input, then closed.</param>
public sealed record CommandSpec(
    string Program,
    IReadOnlyList<CommandArg> Arguments,
    IReadOnlyDictionary<string, string>? Environment = null,
    string? WorkingDirectory = null,
    string? StandardInput = null)
{
    public static CommandSpec Of(string program, params CommandArg[] arguments) => new(program, arguments);

    /// <summary>
    /// The command as a user would type it, with sensitive arguments and credentials inside URLs
    /// (<c>https://user:token@host</c>) redacted. Every log — the deployment's, the server's own, an exception
    /// message — shows a command only in this form.
    /// </summary>
    public string ToDisplayString()
    {
        var parts = new List<string>(Arguments.Count + 1) { ShellQuoting.QuoteForDisplay(Program) };
        parts.AddRange(Arguments.Select(a => a.IsSensitive ? LogRedactor.Marker : ShellQuoting.QuoteForDisplay(a.Value)));
        return LogRedactor.Redact(string.Join(' ', parts), null);
    }

    public override string ToString() => ToDisplayString();
}
