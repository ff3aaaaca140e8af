using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Deployments;

namespace Slipway.Api.Features.Deployments;

/// <summary>
/// A deployment's log as server-sent events: every entry after <c>after</c> as an <c>entry</c> event whose
/// <c>id</c> is its order (so <c>Last-Event-ID</c> resumes exactly where a client stopped), a <c>status</c> event
/// at the start and on each change, and <c>: keep-alive</c> comments while idle. Once the status is terminal and
/// no writer holds the log open, the remaining entries and then the final <c>status</c> event are sent and the
/// stream closes: no entry ever follows the terminal status event.
/// <para>
/// Memory per follower is bounded: on each notification the follower reads at most <see cref="PageSize"/> rows
/// at a time (from the feed's <see cref="RecentLogEntries"/> when it holds them, else from the database) and
/// writes them into Kestrel's response pipe, whose flush waits while a slow client has not taken what was written.
/// </para>
/// </summary>
internal sealed class DeploymentEvents(long deploymentId, int after, TimeSpan keepAlive) : IResult
{
    public const int PageSize = 256;
    public const string ContentType = "text/event-stream";

    /// <summary>Written out (and waited for) whenever this much is buffered within a page.</summary>
    private const int FlushThreshold = 32 * 1024;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();

    /// <summary>One page buffer for the whole stream: a live follower reads a page on every stored batch.</summary>
    private readonly List<DeploymentLogEntry> _page = new(PageSize);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var services = httpContext.RequestServices;
        var feed = services.GetRequiredService<DeploymentLogFeed>();
        var contexts = services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>();
        // Streams also end when the server stops, so shutdown does not wait for them; clients resume after a restart.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(
            httpContext.RequestAborted, services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        var cancellationToken = stopping.Token;
        var response = httpContext.Response;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";

        var output = response.BodyWriter;
        using var watch = new DeploymentWatch(feed, deploymentId);
        using var json = new Utf8JsonWriter(output, JsonOptions);
        var last = after;
        DeploymentStatus? sent = null;
        var status = (DeploymentStatus?)null;
        var logComplete = false;
        var change = DeploymentChange.Row;
        try
        {
            WriteAscii(output, "retry: 2000\n\n");
            while (true)
            {
                if (change != DeploymentChange.Log || status is null || status.Value.IsTerminal())
                {
                    await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                    var state = await DeploymentLogReads.StateAsync(db, deploymentId);
                    if (state is null)
                    {
                        return;
                    }

                    (status, logComplete) = (state.Status, state.LogComplete || state.InstanceGeneration is null);
                }

                var current = status.Value;
                if (current != sent && !current.IsTerminal())
                {
                    WriteStatus(output, json, current);
                    sent = current;
                }

                // Checked before the last read: once no writer holds the log — here, or on the instance that ran the
                // deployment (log_complete; a deployment no run claimed has no writer elsewhere) — everything it wrote is stored.
                var ended = current.IsTerminal() && logComplete && !feed.IsWriting(deploymentId);
                last = await WriteEntriesAsync(contexts, feed.Recent, output, json, last, cancellationToken);
                if (ended)
                {
                    WriteStatus(output, json, current);
                    await output.FlushAsync(cancellationToken);
                    return;
                }

                await output.FlushAsync(cancellationToken);
                change = await watch.WaitAsync(keepAlive, cancellationToken);
                if (change == DeploymentChange.None)
                {
                    output.Write(KeepAlive);
                    change = DeploymentChange.Row;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private async Task<int> WriteEntriesAsync(
        IDbContextFactory<SlipwayDbContext> contexts, RecentLogEntries recent, PipeWriter output, Utf8JsonWriter json, int last,
        CancellationToken cancellationToken)
    {
        // A live follower usually finds what was just stored in memory; one catching up reads the database.
        SlipwayDbContext? db = null;
        var page = _page;
        try
        {
            while (true)
            {
                page.Clear();
                if (!recent.TryReadAfter(deploymentId, last, PageSize, page))
                {
                    db ??= await contexts.CreateDbContextAsync(cancellationToken);
                    await DeploymentLogReads.ReadAfterAsync(db, deploymentId, last, PageSize, page, cancellationToken);
                }

                foreach (var entry in page)
                {
                    WriteEntry(output, json, entry);
                    if (output.UnflushedBytes >= FlushThreshold)
                    {
                        await output.FlushAsync(cancellationToken);
                    }
                }

                if (page.Count > 0)
                {
                    last = page[^1].Order;
                }

                if (page.Count < PageSize)
                {
                    return last;
                }
            }
        }
        finally
        {
            if (db is not null)
            {
                await db.DisposeAsync();
            }
        }
    }

    private static void WriteEntry(PipeWriter output, Utf8JsonWriter json, DeploymentLogEntry entry)
    {
        WriteAscii(output, "id: ");
        var span = output.GetSpan(11);
        entry.Order.TryFormat(span, out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
        output.Advance(written);
        WriteAscii(output, "\nevent: entry\ndata: ");
        json.Reset();
        DeploymentLogRenderer.WriteEntry(json, entry);
        json.Flush();
        WriteAscii(output, "\n\n");
    }

    private static void WriteStatus(PipeWriter output, Utf8JsonWriter json, DeploymentStatus status)
    {
        WriteAscii(output, "event: status\ndata: ");
        json.Reset();
        json.WriteStartObject();
        json.WriteString("status", status.ToWire());
        json.WriteEndObject();
        json.Flush();
        WriteAscii(output, "\n\n");
    }

    private static void WriteAscii(PipeWriter output, string text) => Encoding.ASCII.GetBytes(text, output);
}
