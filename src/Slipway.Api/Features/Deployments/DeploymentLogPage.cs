using System.Buffers;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Slipway.Api.Http;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Deployments;

/// <summary>
/// A page of <c>GET /deployments/{uuid}/logs</c> written into the response as its rows are read (2,048 per query,
/// flushed every 256 entries): up to 10,000 entries of up to 16 KiB each are never one list in memory. The page's
/// bounds (<c>last_order</c>, <c>has_more</c>) are read first, so the rows streamed are exactly those up to
/// <c>last_order</c>, whatever is appended meanwhile.
/// </summary>
internal sealed class DeploymentLogPage(DeploymentLogsResponse header, long deploymentId, int after) : IResult, IEndpointMetadataProvider
{
    private const int FlushEvery = 256;
    private static readonly byte[] EntriesProperty = "\"entries\":[]"u8.ToArray();
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = SlipwayJson.Options.Encoder };

    /// <summary>The page is a <see cref="DeploymentLogsResponse"/> on the wire, as the OpenAPI document says.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(DeploymentLogsResponse), ["application/json"]));

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var cancellationToken = httpContext.RequestAborted;
        var db = httpContext.RequestServices.GetRequiredService<SlipwayDbContext>();
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        var output = httpContext.Response.BodyWriter;

        // The record serialised with no entries, then cut where they go: the page keeps DeploymentLogsResponse's shape.
        var record = JsonSerializer.SerializeToUtf8Bytes(header, SlipwayJson.Options);
        var at = record.AsSpan().IndexOf(EntriesProperty) + EntriesProperty.Length - 2;
        output.Write(record.AsSpan(0, at));
        using (var json = new Utf8JsonWriter(output, WriterOptions))
        {
            json.WriteStartArray();
            var page = new List<DeploymentLogEntry>(DeploymentsWithLogs.PageSize);
            var last = after;
            var written = 0;
            while (last < header.LastOrder)
            {
                page.Clear();
                await DeploymentLogReads.ReadAfterAsync(db, deploymentId, last, DeploymentsWithLogs.PageSize, page, cancellationToken);
                foreach (var entry in page.TakeWhile(e => e.Order <= header.LastOrder))
                {
                    JsonSerializer.Serialize(json, DeploymentLogEntryResponse.From(entry), SlipwayJson.Options);
                    if (++written % FlushEvery == 0)
                    {
                        json.Flush();
                        await output.FlushAsync(cancellationToken);
                    }
                }

                if (page.Count == 0 || page[^1].Order >= header.LastOrder)
                {
                    break;
                }

                last = page[^1].Order;
            }

            json.WriteEndArray();
        }

        output.Write(record.AsSpan(at + 2));
        await output.FlushAsync(cancellationToken);
    }
}
