using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Http;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Deployments;

/// <summary>
/// Deployments with their <c>logs</c> — what <c>read:sensitive</c> callers get — written into the response as the
/// log rows are read, a page at a time: a deployment printing a million lines is never one string in the server's
/// memory, however often it is polled. Each deployment is the record <see cref="DeploymentResponse"/> serialises
/// (same keys, same order), with <c>logs</c> written as a JSON string in segments. A log small enough for
/// <see cref="RenderedLogCache"/> is kept there and answered from it while its rows do not change.
/// </summary>
internal sealed class DeploymentsWithLogs : IResult
{
    /// <summary>Log rows read per query.</summary>
    public const int PageSize = 2048;

    /// <summary>Rendered log text handed to the response (and flushed, waiting for a slow client) this much at a time.</summary>
    private const int ChunkBytes = 64 * 1024;

    /// <summary>Serialised in place of the logs, then cut out: a value no one can send (a fresh uuid per process).</summary>
    private static readonly string Placeholder = "slipway-logs-" + Guid.NewGuid().ToString("N");

    private static readonly byte[] LogsProperty = Encoding.UTF8.GetBytes($"\"logs\":\"{Placeholder}\"");
    private static readonly int LogsNameLength = Encoding.UTF8.GetByteCount("\"logs\":");
    private static readonly JsonWriterOptions OuterOptions = new() { Encoder = SlipwayJson.Options.Encoder, SkipValidation = true };

    private readonly IReadOnlyList<Deployment> _deployments;
    private readonly Shape _shape;
    private readonly int _count;

    private DeploymentsWithLogs(IReadOnlyList<Deployment> deployments, Shape shape, int count = 0)
    {
        _deployments = deployments;
        _shape = shape;
        _count = count;
    }

    private enum Shape
    {
        One,
        Array,
        CountedPage,
    }

    /// <summary>One deployment: <c>GET /deployments/{uuid}</c>.</summary>
    public static DeploymentsWithLogs One(Deployment deployment) => new([deployment], Shape.One);

    /// <summary>A JSON array: <c>GET /deployments</c>.</summary>
    public static DeploymentsWithLogs List(IReadOnlyList<Deployment> deployments) => new(deployments, Shape.Array);

    /// <summary><c>{"count": N, "deployments": [...]}</c>: <c>GET /deployments/applications/{uuid}</c>.</summary>
    public static DeploymentsWithLogs Page(int count, IReadOnlyList<Deployment> deployments) => new(deployments, Shape.CountedPage, count);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var cancellationToken = httpContext.RequestAborted;
        var contexts = httpContext.RequestServices.GetRequiredService<IDbContextFactory<SlipwayDbContext>>();
        var cache = httpContext.RequestServices.GetRequiredService<RenderedLogCache>();
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        var output = httpContext.Response.BodyWriter;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        output.Write(_shape switch
        {
            Shape.CountedPage => Encoding.UTF8.GetBytes($"{{\"count\":{_count.ToString(System.Globalization.CultureInfo.InvariantCulture)},\"deployments\":["),
            Shape.Array => "["u8.ToArray(),
            _ => [],
        });
        for (var i = 0; i < _deployments.Count; i++)
        {
            if (i > 0)
            {
                output.Write(","u8);
            }

            await WriteDeploymentAsync(output, db, cache, _deployments[i], cancellationToken);
        }

        output.Write(_shape switch
        {
            Shape.CountedPage => "]}"u8.ToArray(),
            Shape.Array => "]"u8.ToArray(),
            _ => [],
        });
        await output.FlushAsync(cancellationToken);
    }

    private static async Task WriteDeploymentAsync(PipeWriter output, SlipwayDbContext db, RenderedLogCache cache, Deployment deployment, CancellationToken cancellationToken)
    {
        var record = JsonSerializer.SerializeToUtf8Bytes(DeploymentResponse.From(deployment, Placeholder), SlipwayJson.Options);
        // A string value cannot hold an unescaped quote, so "logs":"<placeholder>" occurs exactly once: as the key.
        var at = record.AsSpan().IndexOf(LogsProperty);
        output.Write(record.AsSpan(0, at + LogsNameLength));
        await WriteLogsAsync(output, db, cache, deployment.Id, cancellationToken);
        output.Write(record.AsSpan(at + LogsProperty.Length));
    }

    /// <summary>The <c>logs</c> value: a JSON string holding the rendered JSON array of the rows that existed when it started.</summary>
    private static async Task WriteLogsAsync(PipeWriter output, SlipwayDbContext db, RenderedLogCache cache, long deploymentId, CancellationToken cancellationToken)
    {
        var version = await DeploymentReads.LogVersionAsync(db, deploymentId);
        using var value = new Utf8JsonWriter(output, OuterOptions);
        if (version.Count > 0 && cache.Get(deploymentId, version) is { } cached)
        {
            await WriteCachedAsync(output, value, cached, cancellationToken);
            return;
        }

        var rendered = new ArrayBufferWriter<byte>(2 * ChunkBytes);
        using var entries = new Utf8JsonWriter(rendered, DeploymentLogRenderer.WriterOptions);
        // The text is also kept for the cache while it stays small enough to be cached at all.
        var kept = new ArrayBufferWriter<byte>();
        var keeping = version.Count > 0;
        entries.WriteStartArray();
        var page = new List<DeploymentLogEntry>(Math.Min(PageSize, Math.Max(version.Count, 1)));
        var after = 0;
        while (after < version.MaxOrder)
        {
            page.Clear();
            await DeploymentLogReads.ReadAfterAsync(db, deploymentId, after, PageSize, page, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            foreach (var entry in page)
            {
                // Rows stored after the version was read belong to the next read (and are not part of what is cached).
                if (entry.Order > version.MaxOrder)
                {
                    break;
                }

                DeploymentLogRenderer.WriteEntry(entries, entry);
                if (entries.BytesPending >= ChunkBytes)
                {
                    keeping = await WriteChunkAsync(output, value, entries, rendered, kept, keeping, isFinal: false, cancellationToken);
                }
            }

            after = page[^1].Order;
        }

        entries.WriteEndArray();
        keeping = await WriteChunkAsync(output, value, entries, rendered, kept, keeping, isFinal: true, cancellationToken);
        if (keeping)
        {
            cache.Set(deploymentId, version, Encoding.UTF8.GetString(kept.WrittenSpan));
        }
    }

    /// <summary>Hands what <paramref name="entries"/> rendered to the response as the next segment of the string.</summary>
    private static async Task<bool> WriteChunkAsync(
        PipeWriter output, Utf8JsonWriter value, Utf8JsonWriter entries, ArrayBufferWriter<byte> rendered, ArrayBufferWriter<byte> kept, bool keeping,
        bool isFinal, CancellationToken cancellationToken)
    {
        entries.Flush();
        value.WriteStringValueSegment(rendered.WrittenSpan, isFinal);
        value.Flush();
        if (keeping && kept.WrittenCount + rendered.WrittenCount <= RenderedLogCache.MaxEntryChars)
        {
            kept.Write(rendered.WrittenSpan);
        }
        else
        {
            keeping = false;
            kept.Clear();
        }

        rendered.ResetWrittenCount();
        await output.FlushAsync(cancellationToken);
        return keeping;
    }

    private static async Task WriteCachedAsync(PipeWriter output, Utf8JsonWriter value, string cached, CancellationToken cancellationToken)
    {
        const int ChunkChars = ChunkBytes / 2;
        var start = 0;
        do
        {
            var length = Math.Min(ChunkChars, cached.Length - start);
            // Never split a surrogate pair between two segments.
            if (start + length < cached.Length && char.IsHighSurrogate(cached[start + length - 1]))
            {
                length--;
            }

            value.WriteStringValueSegment(cached.AsSpan(start, length), isFinalSegment: start + length == cached.Length);
            value.Flush();
            await output.FlushAsync(cancellationToken);
            start += length;
        }
        while (start < cached.Length);
    }
}
