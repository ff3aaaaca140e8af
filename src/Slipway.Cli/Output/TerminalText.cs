using System.Text.RegularExpressions;

namespace Slipway.Cli.Output;

/// <summary>
/// Build output made harmless for a terminal: a build can print escape sequences that move the cursor, clear the
/// screen, retitle the window, write the clipboard (OSC 52) or hide a line behind another. Before a log line reaches
/// a terminal every escape sequence (CSI, OSC, DCS/SOS/PM/APC strings, two-byte escapes), every 8-bit C1 control and
/// every other control character but tab is removed. Pipes and files get the bytes exactly as stored (and so does
/// <c>--raw</c>).
/// </summary>
internal static partial class TerminalText
{
    public static string Strip(string text)
    {
        if (!text.Any(IsControl))
        {
            return text;
        }

        var withoutSequences = EscapeSequence().Replace(text, string.Empty);
        return string.Concat(withoutSequences.Where(c => !IsControl(c) || c == '\t'));
    }

    private static bool IsControl(char c) => c is < ' ' and not '\t' or '\u007f' or >= '\u0080' and <= '\u009f';

    // ESC [ ... final (CSI) | ESC ] ... BEL or ST (OSC) | ESC P/X/^/_ ... ST (strings) | ESC + one byte. An unterminated
    // string runs to the end of the text: a line cannot smuggle half a sequence to be finished by the next one.
    [GeneratedRegex(@"\u001b\[[0-?]*[ -/]*[@-~]?|\u009b[0-?]*[ -/]*[@-~]?|[\u001b]\][^\u0007\u001b\u009c]*(\u0007|\u001b\\|\u009c)?|\u009d[^\u0007\u001b\u009c]*(\u0007|\u001b\\|\u009c)?|\u001b[PX^_][^\u001b\u009c]*(\u001b\\|\u009c)?|[\u0090\u0098\u009e\u009f][^\u001b\u009c]*(\u001b\\|\u009c)?|\u001b[\u0020-\u007e]?", RegexOptions.CultureInvariant)]
    private static partial Regex EscapeSequence();
}
