using System.Text;
using System.Text.Json;
using Slipway.Cli.Client;
using Slipway.Cli.Output;

namespace Slipway.Cli.Following;

/// <summary>
/// Where followed log entries go. Every printer shows an entry's <c>output</c> as stored, one entry per line — on a
/// terminal without escape sequences unless <c>--raw</c>; hidden (debug) entries only when asked. Entries are buffered until <see cref="Flush"/>, which the
/// follower calls after each batch that arrived together.
/// </summary>
internal abstract class LogPrinter(bool showHidden)
{
    public void Entry(LogEntry entry)
    {
        if (!entry.Hidden || showHidden)
        {
            Write(entry);
        }
    }

    /// <summary>The deployment's status as last seen (a terminal shows it next to the spinner).</summary>
    public virtual void Status(string status)
    {
    }

    public abstract void Flush();

    /// <summary>Runs the whole follow; a terminal printer shows its spinner meanwhile.</summary>
    public virtual Task<T> RunAsync<T>(Func<Task<T>> follow) => follow();

    protected abstract void Write(LogEntry entry);

    /// <summary>A buffered writer on stdout: one write per batch instead of one per line.</summary>
    protected static StreamWriter OpenStandardOutput() =>
        new(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024) { AutoFlush = false };
}

/// <summary>
/// Plain lines: nothing but the entries' text, byte for byte into pipes and files (and with <c>--raw</c>); on a
/// terminal (<paramref name="strip"/>) without escape sequences and control characters (<see cref="TerminalText"/>).
/// </summary>
internal sealed class PlainLogPrinter(bool showHidden, bool strip = false) : LogPrinter(showHidden)
{
    private readonly StreamWriter _output = OpenStandardOutput();

    public override void Flush() => _output.Flush();

    protected override void Write(LogEntry entry)
    {
        _output.Write(strip ? TerminalText.Strip(entry.Output ?? string.Empty) : entry.Output);
        _output.Write('\n');
    }
}

/// <summary>One JSON object per line (<c>--output json</c> while following), in the entries' own shape.</summary>
internal sealed class JsonLinesLogPrinter(bool showHidden) : LogPrinter(showHidden)
{
    private readonly StreamWriter _output = OpenStandardOutput();

    public override void Flush() => _output.Flush();

    protected override void Write(LogEntry entry)
    {
        _output.Write(JsonSerializer.Serialize(entry, ClientJson.EntryOutput));
        _output.Write('\n');
    }
}
