using Slipway.Bench.LogFollow;

return args.FirstOrDefault() switch
{
    "host" => await BenchHost.RunAsync(BenchArgs.Parse(args[1..])),
    "followers" => await Followers.RunAsync(BenchArgs.Parse(args[1..])),
    "run" => await Orchestrator.RunAsync(BenchArgs.Parse(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Slipway.Bench.LogFollow run --source writer|engine --slipway PATH [--lines 100000] [--rate 2000] [--followers 50]");
    return 2;
}
