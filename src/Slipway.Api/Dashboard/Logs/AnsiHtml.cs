using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Slipway.Api.Dashboard.Logs;

/// <summary>
/// Renders a log line with ANSI colours as HTML that can never be markup from the build: the text is HTML-encoded,
/// SGR sequences (<c>ESC[...m</c>) become <c>&lt;span class="a-…"&gt;</c> from a fixed set of class names, and every
/// other escape sequence is dropped. <c>log.js</c> does the same for lines that arrive live, building DOM nodes
/// with <c>textContent</c>; the two are checked against each other in the browser tests.
/// </summary>
public static class AnsiHtml
{
    public static string Render(string line)
    {
        if (line.IndexOf('\u001b', StringComparison.Ordinal) < 0)
        {
            return HtmlEncoder.Default.Encode(line);
        }

        var html = new StringBuilder(line.Length + 32);
        var style = new Style();
        var open = false;
        var text = new StringBuilder();
        var i = 0;
        while (i < line.Length)
        {
            if (line[i] != '\u001b')
            {
                text.Append(line[i++]);
                continue;
            }

            var end = ReadEscape(line, i, out var sgr);
            if (sgr is not null)
            {
                Flush(html, text, style, ref open);
                style = style.Apply(sgr);
            }

            i = end;
        }

        Flush(html, text, style, ref open);
        if (open)
        {
            html.Append("</span>");
        }

        return html.ToString();
    }

    private static void Flush(StringBuilder html, StringBuilder text, Style style, ref bool open)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (open)
        {
            html.Append("</span>");
            open = false;
        }

        var classes = style.Classes();
        if (classes.Length > 0)
        {
            html.Append("<span class=\"").Append(classes).Append("\">");
            open = true;
        }

        html.Append(HtmlEncoder.Default.Encode(text.ToString()));
        text.Clear();
    }

    /// <summary>Skips one escape sequence at <paramref name="start"/>; <paramref name="sgr"/> gets its parameters when it is SGR.</summary>
    private static int ReadEscape(string line, int start, out string? sgr)
    {
        sgr = null;
        var i = start + 1;
        if (i >= line.Length)
        {
            return i;
        }

        if (line[i] == '[')
        {
            var j = i + 1;
            while (j < line.Length && line[j] is >= '0' and <= '?')
            {
                j++;
            }

            while (j < line.Length && line[j] is >= ' ' and <= '/')
            {
                j++;
            }

            if (j < line.Length)
            {
                if (line[j] == 'm')
                {
                    sgr = line[(i + 1)..j];
                }

                return j + 1;
            }

            return j;
        }

        if (line[i] == ']')
        {
            // OSC: up to BEL or ESC \.
            var j = i + 1;
            while (j < line.Length && line[j] != '\u0007' && !(line[j] == '\u001b' && j + 1 < line.Length && line[j + 1] == '\\'))
            {
                j++;
            }

            return j >= line.Length ? j : line[j] == '\u0007' ? j + 1 : j + 2;
        }

        return i + 1;
    }

    private readonly record struct Style(int Foreground, int Background, bool Bold, bool Dim, bool Italic, bool Underline)
    {
        public Style()
            : this(-1, -1, false, false, false, false)
        {
        }

        public Style Apply(string parameters)
        {
            var codes = parameters.Length == 0 ? [0] : parameters.Split(';').Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToArray();
            var style = this;
            for (var k = 0; k < codes.Length; k++)
            {
                var code = codes[k];
                switch (code)
                {
                    case 0: style = new Style(); break;
                    case 1: style = style with { Bold = true }; break;
                    case 2: style = style with { Dim = true }; break;
                    case 3: style = style with { Italic = true }; break;
                    case 4: style = style with { Underline = true }; break;
                    case 22: style = style with { Bold = false, Dim = false }; break;
                    case 23: style = style with { Italic = false }; break;
                    case 24: style = style with { Underline = false }; break;
                    case >= 30 and <= 37: style = style with { Foreground = code - 30 }; break;
                    case 39: style = style with { Foreground = -1 }; break;
                    case >= 40 and <= 47: style = style with { Background = code - 40 }; break;
                    case 49: style = style with { Background = -1 }; break;
                    case >= 90 and <= 97: style = style with { Foreground = code - 90 + 8 }; break;
                    case >= 100 and <= 107: style = style with { Background = code - 100 + 8 }; break;
                    case 38 or 48:
                        // 256-colour and true-colour forms: their numbers are skipped, the text keeps the default colour.
                        k += k + 1 < codes.Length && codes[k + 1] == 5 ? 2 : k + 1 < codes.Length && codes[k + 1] == 2 ? 4 : 0;
                        break;
                }
            }

            return style;
        }

        public string Classes()
        {
            var parts = new List<string>(4);
            if (Foreground >= 0)
            {
                parts.Add("a-f" + Foreground.ToString(CultureInfo.InvariantCulture));
            }

            if (Background >= 0)
            {
                parts.Add("a-b" + Background.ToString(CultureInfo.InvariantCulture));
            }

            if (Bold)
            {
                parts.Add("a-bold");
            }

            if (Dim)
            {
                parts.Add("a-dim");
            }

            if (Italic)
            {
                parts.Add("a-italic");
            }

            if (Underline)
            {
                parts.Add("a-underline");
            }

            return string.Join(' ', parts);
        }
    }
}
