using System.Text;

namespace Slipway.Cli.Client;

/// <summary>One dispatched server-sent event: its <c>id</c> field (if it had one), type and data.</summary>
internal readonly record struct ServerSentEvent(string? Id, string Type, string Data);

/// <summary>
/// Parses <c>text/event-stream</c> one network read at a time, so a caller can print everything that arrived
/// together and flush once. Comments (keep-alives) produce no event but do count as activity.
/// </summary>
internal sealed class ServerSentEventReader(Stream stream)
{
    private const int MaxBuffer = 8 * 1024 * 1024;

    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _skipLineFeed;
    private string? _id;
    private string? _type;
    private StringBuilder? _data;

    /// <summary>Waits for the next bytes and adds the events they complete; false at the end of the stream.</summary>
    public async ValueTask<bool> ReadAsync(List<ServerSentEvent> events, CancellationToken cancellationToken)
    {
        MakeRoom();
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            return false;
        }

        _end += read;
        Parse(events);
        return true;
    }

    private void MakeRoom()
    {
        if (_end < _buffer.Length)
        {
            return;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
            return;
        }

        if (_buffer.Length >= MaxBuffer)
        {
            throw new InvalidDataException($"An event-stream line is longer than {MaxBuffer} bytes.");
        }

        Array.Resize(ref _buffer, _buffer.Length * 2);
    }

    private void Parse(List<ServerSentEvent> events)
    {
        while (_start < _end)
        {
            if (_skipLineFeed)
            {
                // The CR of a CRLF pair came at the end of the previous read.
                _skipLineFeed = false;
                if (_buffer[_start] == (byte)'\n')
                {
                    _start++;
                    continue;
                }
            }

            var pending = _buffer.AsSpan(_start, _end - _start);
            var index = pending.IndexOfAny((byte)'\n', (byte)'\r');
            if (index < 0)
            {
                break;
            }

            var line = pending[..index];
            _start += index + 1;
            if (pending[index] == (byte)'\r')
            {
                _skipLineFeed = true;
            }

            Line(line, events);
        }

        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    private void Line(ReadOnlySpan<byte> line, List<ServerSentEvent> events)
    {
        if (line.IsEmpty)
        {
            if (_data is not null)
            {
                events.Add(new ServerSentEvent(_id, _type ?? "message", _data.ToString()));
            }

            _id = null;
            _type = null;
            _data = null;
            return;
        }

        if (line[0] == (byte)':')
        {
            return;
        }

        var colon = line.IndexOf((byte)':');
        var name = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? [] : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if (name.SequenceEqual("data"u8))
        {
            _data = _data is null ? new StringBuilder() : _data.Append('\n');
            _data.Append(Encoding.UTF8.GetString(value));
        }
        else if (name.SequenceEqual("event"u8))
        {
            _type = Encoding.UTF8.GetString(value);
        }
        else if (name.SequenceEqual("id"u8) && value.IndexOf((byte)0) < 0)
        {
            _id = Encoding.UTF8.GetString(value);
        }
    }
}
