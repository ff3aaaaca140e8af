using Slipway.Bench.AtScale;

return args.FirstOrDefault() switch
{
    "seed" => await Seeder.RunAsync(Args.Parse(args[1..])),
    "host" => await AtScaleHost.RunAsync(Args.Parse(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Slipway.Bench.AtScale seed --database sqlite|postgres --data-dir DIR --out DIR [--postgres CS --master-key KEY]"
        + " [--applications 1000] [--stages 10000,100000] [--log-rows-per-deployment 50]");
    Console.Error.WriteLine("       Slipway.Bench.AtScale host --urls URL --data-dir DIR   (commands on stdin: see AtScaleHost)");
    return 2;
}
