using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Slipway.Api.Http;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> Slipway believes: one setting for the
/// whole app (<c>Slipway:TrustedProxies</c>, <c>SLIPWAY_TRUSTED_PROXIES</c>, <c>slipway serve --trusted-proxies</c>), a
/// comma-separated list of IP addresses and CIDR networks, applied by ASP.NET Core's forwarded-headers middleware.
/// Default: none — the socket's address is the client's, and forwarded headers from anyone are ignored (ASP.NET's
/// own default would trust loopback).
/// </summary>
public static class TrustedProxies
{
    public const string ConfigurationKey = "Slipway:TrustedProxies";

    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        // Parsed now, so a mistyped entry stops the start with a message instead of trusting nothing (or too much) silently.
        var (proxies, networks) = Parse(configuration[ConfigurationKey]);
        return services.Configure<ForwardedHeadersOptions>(options =>
        {
            // With no known proxy at all the middleware would believe everyone: without one, it reads nothing.
            options.ForwardedHeaders = proxies.Count + networks.Count == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            // Through a chain of trusted proxies to the first address that is not one of them: that is the client.
            options.ForwardLimit = null;
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(proxy);
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
    }

    public static (IReadOnlyList<IPAddress> Proxies, IReadOnlyList<System.Net.IPNetwork> Networks) Parse(string? value)
    {
        var proxies = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (!entry.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(entry, out var address))
            {
                proxies.Add(address);
            }
            else
            {
                throw new InvalidOperationException(
                    $"{ConfigurationKey} (SLIPWAY_TRUSTED_PROXIES, --trusted-proxies): '{entry}' is not an IP address or a CIDR network such as 10.0.0.0/8.");
            }
        }

        return (proxies, networks);
    }
}
