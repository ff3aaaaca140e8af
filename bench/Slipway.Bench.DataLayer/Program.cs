using Microsoft.EntityFrameworkCore;
using Slipway.Api.Hosting;
using Slipway.Bench.DataLayer;
using Slipway.Core.Deployments;
using Slipway.Infrastructure;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Tokens;

// Usage: SLIPWAY_BENCH_STEP=STEP Slipway.Bench.DataLayer serve --urls URL --data-dir DIR
// A host shaped like `slipway serve` (the slim builder, the gen0 cap, the idle trim, the shipped runtimeconfig) that
// answers GET /api/health and GET /api/v1/deployments with the same `[]` an idle Slipway answers, and does only as
// much of Slipway's data layer as its step says (DataLayerStep): bench/idle-rss.sh measures each step as one more
// target, so what EF Core costs an idle server is taken apart in the same rounds as the real one.
Gen0Budget.EnsureCapped();
var step = DataLayerSteps.Parse(Environment.GetEnvironmentVariable("SLIPWAY_BENCH_STEP"));
var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args.SkipWhile(a => a == "serve")]);
builder.Logging.ClearProviders();
builder.Services.AddIdleMemoryTrim();
if (step >= DataLayerStep.Registered)
{
    var registeredBefore = builder.Services.Count;
    builder.Services.AddSlipwayData(new SlipwayDataOptions { DataDir = builder.Configuration["data-dir"] ?? "./data" });
    // Slipway's server takes Data Protection's key-ring preload out too (SlipwayServer.AddSlipwayApi); the data layer's
    // other hosted services run from the Services step on, so the steps before it measure what they name and no more.
    var leftOut = builder.Services.Skip(registeredBefore).Where(d => d.ServiceType == typeof(IHostedService)
        && (step < DataLayerStep.Services || d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService")).ToList();
    foreach (var service in leftOut)
    {
        builder.Services.Remove(service);
    }
}

await using var app = builder.Build();
await DataLayerSteps.StartAsync(step, app.Services);
app.MapGet("/api/health", () => "OK");
app.MapGet("/api/v1/deployments", async (HttpContext http) =>
{
    if (step >= DataLayerStep.Reads)
    {
        // What the real list does on an idle server: the bearer token checked (cached after the first), then the query.
        var token = http.Request.Headers.Authorization.ToString().Replace("Bearer ", string.Empty, StringComparison.Ordinal);
        var check = await http.RequestServices.GetRequiredService<ApiTokenService>().CheckAsync(token, http.RequestAborted);
        if (check.Outcome != TokenCheckOutcome.Valid)
        {
            return Results.Unauthorized();
        }

        await using var db = await http.RequestServices.GetRequiredService<IDbContextFactory<SlipwayDbContext>>().CreateDbContextAsync(http.RequestAborted);
        var teamId = check.Identity!.TeamId;
        var active = await db.Deployments.AsNoTracking()
            .Where(d => d.TeamId == teamId && (d.Status == DeploymentStatus.Queued || d.Status == DeploymentStatus.InProgress))
            .OrderBy(d => d.Id)
            .ToListAsync(http.RequestAborted);
        return Results.Json(active.Select(d => d.Uuid));
    }

    return Results.Json(Array.Empty<string>());
});
await app.RunAsync();
