namespace Slipway.Core.Execution;

/// <summary>
/// The one place in Slipway that quotes for a shell. It is used only to send an argument list over SSH, where
/// the remote side hands the command string to the login shell. POSIX single quotes make every byte literal;
/// an embedded single quote is closed, escaped and reopened (<c>'\''</c>). NUL cannot be passed through any
/// shell and is refused.
/// </summary>
public static class ShellQuoting
{
    /// <summary>Quotes one argument so a POSIX shell reads it back as exactly <paramref name="value"/>.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("An argument cannot contain a NUL character.", nameof(value));
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Quotes each argument and joins them with spaces: a command line for <c>sh -c</c>.</summary>
    public static string Join(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(Quote));

    /// <summary>Readable form for logs: plain words stay bare, anything else is quoted. Never executed.</summary>
    public static string QuoteForDisplay(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or ',' or '@' or '+')
            ? value
            : Quote(value.Replace("\0", string.Empty, StringComparison.Ordinal));
}
