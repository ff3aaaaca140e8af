using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Slipway.Api.Tests.Contract;

/// <summary>
/// Checks every answer of the test host against Slipway's own OpenAPI document (OpenAPI 3.1, whose schemas are
/// JSON Schema 2020-12, validated with JsonSchema.Net): the status must be documented for the operation, the media
/// type among the documented ones, and a JSON body must validate against the documented schema. A violation
/// replaces the answer with a 500 whose message names it, so the test that made the request fails and says why.
/// Requests with no documented operation (unknown paths, the health alias, GETs that moved to POST) and event
/// streams are passed through.
/// </summary>
public sealed class OpenApiConformance
{
    public const int ViolationStatus = StatusCodes.Status500InternalServerError;
    public const string ViolationPrefix = "OpenAPI conformance: ";

    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private JsonObject? _document;

    /// <summary>Every answer checked so far (for the test that the check runs at all).</summary>
    public int Checked => _checked;

    private int _checked;

    public static void AddTo(IWebHostBuilder builder, OpenApiConformance conformance) =>
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new Filter(conformance)));

    /// <summary>Null when the answer conforms; otherwise what is wrong.</summary>
    public string? Check(JsonObject document, string path, string method, int status, string? contentType, ReadOnlySpan<byte> body)
    {
        if (document["paths"]?[path]?[method] is not JsonObject operation)
        {
            return null;
        }

        Interlocked.Increment(ref _checked);
        var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation["responses"]?[code] is not JsonObject response)
        {
            return $"{method.ToUpperInvariant()} {path} answered {status}, which the document does not list ({string.Join(", ", operation["responses"]!.AsObject().Select(r => r.Key))}).";
        }

        var content = response["content"] as JsonObject;
        if (body.Length == 0 && (content is null || content.Count == 0))
        {
            return null;
        }

        var mediaType = contentType?.Split(';')[0].Trim();
        if (mediaType is null || content?[mediaType] is not JsonObject media)
        {
            return $"{method.ToUpperInvariant()} {path} {status} answered '{contentType}', the document lists {string.Join(", ", content?.Select(c => c.Key) ?? [])}.";
        }

        if (!mediaType.EndsWith("json", StringComparison.Ordinal) || media["schema"] is not JsonNode schema)
        {
            return null;
        }

        var validator = _schemas.GetOrAdd($"{path} {method} {code} {mediaType}", _ => Build(document, schema));
        using var json = JsonDocument.Parse(body.ToArray());
        // The flag alone first (it stops at the first failure; a page of 33,000 deployments is checked in well under
        // a second), the list of failures only to explain one.
        if (validator.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid)
        {
            return null;
        }

        var result = validator.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(8);
        return $"{method.ToUpperInvariant()} {path} {status}: the body does not match the documented schema: {string.Join("; ", errors)}. Body: {Shorten(body)}";
    }

    /// <summary>The response schema with the document's components as <c>$defs</c>, so its references resolve.</summary>
    private static JsonSchema Build(JsonObject document, JsonNode schema)
    {
        var root = new JsonObject { ["$schema"] = "https://json-schema.org/draft/2020-12/schema" };
        foreach (var (key, value) in Rewrite(schema)!.AsObject())
        {
            root[key] = value?.DeepClone();
        }

        root["$defs"] = Rewrite(document["components"]?["schemas"]) ?? new JsonObject();
        return JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    private static JsonNode? Rewrite(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    copy[key] = key == "$ref" && value?.GetValue<string>() is { } reference
                        ? reference.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal)
                        : Rewrite(value);
                }

                return copy;
            case JsonArray array:
                return new JsonArray(array.Select(Rewrite).ToArray());
            default:
                return node?.DeepClone();
        }
    }

    private async Task<JsonObject> DocumentAsync(IServiceProvider services)
    {
        if (_document is { } loaded)
        {
            return loaded;
        }

        await _loading.WaitAsync();
        try
        {
            if (_document is null)
            {
                var document = await services.GetRequiredKeyedService<IOpenApiDocumentProvider>("v1").GetOpenApiDocumentAsync();
                using var stream = new MemoryStream();
                await document.SerializeAsJsonAsync(stream, OpenApiSpecVersion.OpenApi3_1);
                _document = JsonNode.Parse(stream.ToArray())!.AsObject();
            }

            return _document;
        }
        finally
        {
            _loading.Release();
        }
    }

    private static string Shorten(ReadOnlySpan<byte> body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body);
        return text.Length > 400 ? text[..400] + "…" : text;
    }

    private sealed class Filter(OpenApiConformance conformance) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, nextMiddleware) =>
            {
                if (http.Request.Headers.Accept.Any(a => a?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true)
                    || http.Request.Path.StartsWithSegments("/openapi"))
                {
                    await nextMiddleware(http);
                    return;
                }

                var original = http.Response.Body;
                using var buffer = new MemoryStream();
                http.Response.Body = buffer;
                try
                {
                    await nextMiddleware(http);
                }
                finally
                {
                    http.Response.Body = original;
                }

                var pattern = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
                string? violation = null;
                if (pattern is not null)
                {
                    // The document's path: a group's "" route has a trailing slash in its raw pattern.
                    var path = "/" + pattern.Trim('/');
                    var document = await conformance.DocumentAsync(http.RequestServices);
                    violation = conformance.Check(document, path, http.Request.Method.ToLowerInvariant(), http.Response.StatusCode,
                        http.Response.ContentType, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
                }

                if (violation is null)
                {
                    buffer.Position = 0;
                    await buffer.CopyToAsync(original, http.RequestAborted);
                    return;
                }

                if (Environment.GetEnvironmentVariable("SLIPWAY_TEST_OPENAPI_LOG") is { Length: > 0 } log)
                {
                    await File.AppendAllTextAsync(log, violation + Environment.NewLine);
                }

                http.Response.StatusCode = ViolationStatus;
                http.Response.ContentType = "application/json; charset=utf-8";
                http.Response.ContentLength = null;
                await http.Response.WriteAsJsonAsync(new { message = ViolationPrefix + violation }, http.RequestAborted);
            });
            next(app);
        };
    }
}
