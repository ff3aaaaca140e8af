using System.Diagnostics;
using Slipway.Cli.Client;
using Slipway.Cli.Output;
using Spectre.Console;

namespace Slipway.Cli.Following;

/// <summary>
/// For a person at a terminal: step headers (<c>-----&gt; ...</c>) stand out, and a spinner under the log shows the
/// status, the current step and the time elapsed.
/// </summary>
internal sealed class TerminalLogPrinter(bool showHidden) : LogPrinter(showHidden)
{
    private const string StepPrefix = "----->";
    private static readonly Style StepStyle = new(Color.Aqua, decoration: Decoration.Bold);
    private static readonly Style HiddenStyle = new(Color.Grey);

    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private StatusContext? _context;
    private string _status = "connecting";
    private string? _step;

    /// <summary>The batch's lines, written as one renderable: each write under a live spinner redraws it.</summary>
    private Paragraph? _pending;

    public override void Status(string status)
    {
        lock (_lock)
        {
            _status = status;
        }

        Refresh();
    }

    public override void Flush()
    {
        if (_pending is { } pending)
        {
            _pending = null;
            AnsiConsole.Write(pending);
        }

        Refresh();
    }

    public override async Task<T> RunAsync<T>(Func<Task<T>> follow)
    {
        return await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync(Label(), async context =>
        {
            _context = context;
            using var stop = new CancellationTokenSource();
            var ticker = TickAsync(stop.Token);
            try
            {
                return await follow();
            }
            finally
            {
                Flush();
                await stop.CancelAsync();
                await ticker;
                _context = null;
            }
        });
    }

    protected override void Write(LogEntry entry)
    {
        // The output may try to drive the terminal (clear it, move the cursor, retitle or write the clipboard): never passed on.
        var text = TerminalText.Strip(entry.Output ?? "");
        if (text.StartsWith(StepPrefix, StringComparison.Ordinal))
        {
            lock (_lock)
            {
                _step = text[StepPrefix.Length..].Trim();
            }

            Pending.Append(text + "\n", StepStyle);
        }
        else
        {
            Pending.Append(text + "\n", entry.Hidden ? HiddenStyle : Style.Plain);
        }
    }

    private Paragraph Pending => _pending ??= new Paragraph();

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Refresh();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Refresh()
    {
        if (_context is { } context)
        {
            context.Status = Label();
        }
    }

    private string Label()
    {
        lock (_lock)
        {
            var elapsed = _elapsed.Elapsed;
            var clock = elapsed.TotalHours >= 1 ? elapsed.ToString(@"h\:mm\:ss", null) : elapsed.ToString(@"mm\:ss", null);
            var step = _step is null ? "" : $" · {_step}";
            return Markup.Escape($"{_status}{step} · {clock}");
        }
    }
}
