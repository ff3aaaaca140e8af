using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Slipway.Api.Tests.Fixtures;

/// <summary>
/// A stand-in for a Coolify server, which has none of Slipway's additions: <c>POST /deploy</c>, and
/// <c>GET /deployments/{uuid}</c> answering the next state of a scripted timeline (status and Coolify's <c>logs</c>
/// string) on each call. Every other path is Coolify's 404 <c>{"message":"Not found."}</c>. It records each request.
/// </summary>
public sealed class FakeCoolify : IAsyncDisposable
{
    public const string Token = "3|coolifytoken";

    private readonly WebApplication _app;
    private readonly IReadOnlyList<(string Status, JsonArray? Logs)> _timeline;
    private int _reads;

    private FakeCoolify(WebApplication app, string deploymentUuid, IReadOnlyList<(string Status, JsonArray? Logs)> timeline)
    {
        _app = app;
        DeploymentUuid = deploymentUuid;
        _timeline = timeline;
    }

    public string DeploymentUuid { get; }

    public string Url { get; private set; } = "";

    /// <summary>Each request as <c>"GET /api/v1/..."</c>, with when it arrived.</summary>
    public ConcurrentQueue<(string Request, TimeSpan At)> Requests { get; } = new();

    public static async Task<FakeCoolify> StartAsync(string deploymentUuid, IReadOnlyList<(string Status, JsonArray? Logs)> timeline)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var fake = new FakeCoolify(app, deploymentUuid, timeline);
        var clock = Stopwatch.StartNew();
        app.Use(async (context, next) =>
        {
            fake.Requests.Enqueue(($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}", clock.Elapsed));
            if (context.Request.Headers.Authorization != $"Bearer {Token}")
            {
                await Results.Json(new { message = "Unauthenticated." }, statusCode: 401).ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        app.MapPost("/api/v1/deploy", async (HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body);
            return Results.Json(new JsonObject
            {
                ["deployments"] = new JsonArray(new JsonObject
                {
                    ["message"] = "Application web deployment queued.",
                    ["resource_uuid"] = body?["uuid"]?.GetValue<string>(),
                    ["deployment_uuid"] = deploymentUuid,
                }),
            });
        });
        app.MapGet("/api/v1/deployments/{uuid}", (string uuid) => uuid == deploymentUuid
            ? Results.Text(fake.NextState().ToJsonString(), "application/json")
            : Results.Json(new { message = "Deployment not found." }, statusCode: 404));
        app.MapFallback(() => Results.Json(new { message = "Not found.", docs = "https://coolify.io/docs" }, statusCode: 404));
        await app.StartAsync();
        fake.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    /// <summary>Coolify's entries: <c>order</c> left out of the first, as Coolify's <c>addLogEntry</c> does.</summary>
    public static JsonArray Logs(params (string Output, bool Hidden)[] lines) =>
        new(lines.Select((l, i) =>
        {
            var entry = new JsonObject { ["command"] = null, ["output"] = l.Output, ["type"] = "stdout", ["timestamp"] = "2026-11-28T10:00:00.000000Z", ["hidden"] = l.Hidden, ["batch"] = 1 };
            if (i > 0)
            {
                entry["order"] = i + 1;
            }

            return (JsonNode)entry;
        }).ToArray());

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private JsonObject NextState()
    {
        var (status, logs) = _timeline[Math.Min(Interlocked.Increment(ref _reads) - 1, _timeline.Count - 1)];
        var deployment = new JsonObject
        {
            ["id"] = 7,
            ["application_id"] = "3",
            ["deployment_uuid"] = DeploymentUuid,
            ["status"] = status,
        };
        if (logs is not null)
        {
            // Coolify's logs: a string holding the JSON array, with PHP's escaped slashes.
            deployment["logs"] = logs.ToJsonString().Replace("/", "\\/", StringComparison.Ordinal);
        }

        return deployment;
    }
}
