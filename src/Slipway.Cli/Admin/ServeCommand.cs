using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Slipway.Api;
using Slipway.Api.Hosting;
using Slipway.Api.Http;

namespace Slipway.Cli.Admin;

internal static class ServeCommand
{
    public static Command Build()
    {
        var data = new DataOptions();
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on (default http://127.0.0.1:8000; ASPNETCORE_URLS)." };
        var trustedProxies = new Option<string?>("--trusted-proxies")
        {
            Description = "Reverse proxies whose X-Forwarded-For/-Proto are believed: IP addresses and CIDR networks, comma-separated (SLIPWAY_TRUSTED_PROXIES; default none).",
        };
        var command = new Command("serve", "Run the Slipway server: the API and the deployment engine.");
        command.Add(urls);
        command.Add(trustedProxies);
        data.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            Gen0Budget.EnsureCapped();
            var options = data.Resolve(result);
            string[] args =
            [
                "--urls", result.GetValue(urls) ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? "http://127.0.0.1:8000",
                $"--Slipway:DataDir={options.DataDir}",
                $"--Slipway:Database={options.Database}",
                .. options.PostgresConnectionString is null ? Array.Empty<string>() : [$"--Slipway:PostgresConnectionString={options.PostgresConnectionString}"],
                .. result.GetValue(trustedProxies) is { } proxies ? [$"--{TrustedProxies.ConfigurationKey}={proxies}"] : Array.Empty<string>(),
            ];
            await using var app = SlipwayServer.Build(args, builder => builder.Services.AddIdleMemoryTrim());
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
