using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Slipway.Api.Http;

/// <summary>
/// Behind a reverse proxy that terminates HTTPS, the proxy's <c>X-Forwarded-Proto</c> and <c>X-Forwarded-For</c>
/// count only when it is one of the addresses in <c>Slipway:TrustedProxies</c> (<c>SLIPWAY_TRUSTED_PROXIES</c>,
/// comma-separated): then the request is HTTPS, so session and antiforgery cookies are Secure, and sign-in throttling
/// sees the client's address. Nothing is trusted by default, loopback included (ASP.NET Core's default would be).
/// </summary>
public static class TrustedProxies
{
    public const string ConfigurationKey = "Slipway:TrustedProxies";

    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var addresses = Parse(configuration[ConfigurationKey]);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var address in addresses)
            {
                o.KnownProxies.Add(address);
            }
        });
        return services;
    }

    /// <summary>Reads forwarded headers only when a trusted proxy is configured.</summary>
    public static void UseTrustedProxies(this WebApplication app)
    {
        if (Parse(app.Configuration[ConfigurationKey]).Count > 0)
        {
            app.UseForwardedHeaders();
        }
    }

    private static List<IPAddress> Parse(string? value)
    {
        var addresses = new List<IPAddress>();
        foreach (var text in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            addresses.Add(IPAddress.TryParse(text, out var address)
                ? address
                : throw new InvalidOperationException($"{ConfigurationKey}: '{text}' is not an IP address."));
        }

        return addresses;
    }
}
