using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Deployments;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Users;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Dashboard;

/// <summary>
/// Behind a reverse proxy that terminates HTTPS: <c>X-Forwarded-Proto: https</c> from the configured trusted proxy
/// makes the session cookie Secure; the same header from anyone else changes nothing.
/// </summary>
public sealed class TrustedProxyTests(TrustedProxyTests.ProxiedApiFactory proxied, ApiFactory direct)
    : IClassFixture<TrustedProxyTests.ProxiedApiFactory>, IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Login_ForwardedHttpsFromTheTrustedProxy_SessionCookieIsSecure()
    {
        var cookie = await SessionCookieAsync(proxied);

        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Login_ForwardedHttpsFromAnUntrustedClient_SessionCookieIsNotSecure()
    {
        var cookie = await SessionCookieAsync(direct);

        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Signs in as a browser behind the proxy would; cookies are carried by hand, since a cookie jar for
    /// http://localhost would (rightly) not send back a Secure cookie.
    /// </summary>
    private static async Task<string> SessionCookieAsync(ApiFactory factory)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var email = $"p-{Guid.NewGuid():N}@example.com";
        await DashboardClient.CreateUserAsync(factory, tenant.TeamId, email, UserRoles.Member);
        using var http = factory.Server.CreateClient();
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var form = await http.GetAsync("/login", Ct);
        var antiforgery = Assert.Single(form.Headers.GetValues("Set-Cookie"), c => c.StartsWith("slipway_csrf=", StringComparison.Ordinal));
        var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = email,
                ["password"] = DashboardClient.Password,
                ["__csrf"] = DashboardClient.Token(await form.Content.ReadAsStringAsync(Ct)),
            }),
        };
        post.Headers.Add("Cookie", antiforgery[..antiforgery.IndexOf(';', StringComparison.Ordinal)]);
        var response = await http.SendAsync(post, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var session = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("slipway_session=", StringComparison.Ordinal));
        Assert.Equal(session.Contains("; secure", StringComparison.OrdinalIgnoreCase), antiforgery.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        return session;
    }

    /// <summary>The API host with 10.9.8.7 as its trusted proxy, every request arriving from that address.</summary>
    public sealed class ProxiedApiFactory : ApiFactory
    {
        private static readonly IPAddress Proxy = IPAddress.Parse("10.9.8.7");

        protected override void ConfigureSlipway(IWebHostBuilder builder)
        {
            builder.UseSetting("Slipway:TrustedProxies", Proxy.ToString());
            // The in-memory server has no remote address: this one stands for the proxy's connection.
            builder.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new FromProxy()));
        }

        private sealed class FromProxy : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use((context, nextMiddleware) =>
                {
                    context.Connection.RemoteIpAddress = Proxy;
                    return nextMiddleware(context);
                });
                next(app);
            };
        }
    }
}
