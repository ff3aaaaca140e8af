using Slipway.Api;
using Slipway.Api.Hosting;
using Slipway.Bench.NoopServe;
using Slipway.Core.Execution;

// Usage: Slipway.Bench.NoopServe --urls URL --Slipway:DataDir=DIR [--Slipway:Engine:Enabled=false] [--Bench:WorkMs=0]
// Exactly `slipway serve` (the API, the database, the scheduler, the runner, the steps and the log writer),
// except that every server's commands are answered at once by NoopTargets instead of being run: a deployment
// then costs only what the engine itself does, which is what bench/scheduler.sh measures.
Gen0Budget.EnsureCapped();
await using var app = SlipwayServer.Build(args, builder =>
{
    var workMs = builder.Configuration.GetValue("Bench:WorkMs", 0);
    // Registered before AddSlipwayApi, whose registration of the real targets only adds one when none exists.
    builder.Services.AddSingleton<IExecutionTargets>(new NoopTargets(TimeSpan.FromMilliseconds(workMs)));
    builder.Services.AddIdleMemoryTrim();
});
await app.RunAsync();
