using System.Text;

namespace Slipway.Infrastructure.Execution;

/// <summary>
/// Turns a byte stream into lines, the same way for local pipes and SSH channels: UTF-8 with invalid bytes
/// replaced (never an exception), split on <c>\n</c>, one trailing <c>\r</c> removed, and a final line without
/// a newline still reported by <see cref="Flush"/>. A line longer than <see cref="MaxLineLength"/> characters is
/// cut into pieces so that one endless line cannot hold unbounded memory.
/// </summary>
internal sealed class LineDecoder
{
    public const int MaxLineLength = 1024 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly Decoder _decoder = Utf8.GetDecoder();
    private readonly StringBuilder _line = new();
    private char[] _chars = new char[4096];

    /// <summary>Decodes <paramref name="bytes"/> and adds every line they complete to <paramref name="lines"/>.</summary>
    public void Decode(ReadOnlySpan<byte> bytes, List<string> lines)
    {
        var needed = Utf8.GetMaxCharCount(bytes.Length);
        if (_chars.Length < needed)
        {
            _chars = new char[needed];
        }

        var count = _decoder.GetChars(bytes, _chars, flush: false);
        Split(_chars.AsSpan(0, count), lines);
    }

    /// <summary>The stream ended: reports a last line that had no newline.</summary>
    public void Flush(List<string> lines)
    {
        var count = _decoder.GetChars([], _chars, flush: true);
        Split(_chars.AsSpan(0, count), lines);
        if (_line.Length > 0)
        {
            lines.Add(TakeLine());
        }
    }

    private void Split(ReadOnlySpan<char> chars, List<string> lines)
    {
        while (!chars.IsEmpty)
        {
            var newline = chars.IndexOf('\n');
            var piece = newline < 0 ? chars : chars[..newline];
            while (_line.Length + piece.Length > MaxLineLength)
            {
                var room = MaxLineLength - _line.Length;
                if (room > 0 && char.IsHighSurrogate(piece[room - 1]))
                {
                    room--; // never cut a surrogate pair in half
                }

                _line.Append(piece[..room]);
                lines.Add(_line.ToString());
                _line.Clear();
                piece = piece[room..];
            }

            _line.Append(piece);
            if (newline < 0)
            {
                return;
            }

            lines.Add(TakeLine());
            chars = chars[(newline + 1)..];
        }
    }

    private string TakeLine()
    {
        var length = _line.Length > 0 && _line[^1] == '\r' ? _line.Length - 1 : _line.Length;
        var line = _line.ToString(0, length);
        _line.Clear();
        return line;
    }
}
