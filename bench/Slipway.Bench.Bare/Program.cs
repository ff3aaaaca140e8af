// The baseline of bench/api-read.sh: the same Kestrel defaults as `slipway serve` (WebApplication.CreateBuilder,
// HTTP/1.1 on one loopback address), logging off, one minimal-API endpoint that answers a constant body.
// Usage: Slipway.Bench.Bare --urls http://127.0.0.1:PORT --body FILE
// The route has the same shape as the measured one so both servers parse the same request line.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var bodyPath = builder.Configuration["body"] ?? throw new ArgumentException("--body FILE is required.");
var body = await File.ReadAllBytesAsync(bodyPath);

var app = builder.Build();
app.MapGet("/api/v1/deployments/{uuid}", (string uuid) => Results.Bytes(body, "application/json; charset=utf-8"));
await app.RunAsync();
