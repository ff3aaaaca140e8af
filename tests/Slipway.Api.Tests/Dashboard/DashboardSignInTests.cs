using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Deployments;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Users;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Dashboard;

/// <summary>Sign-in, its throttle, sign-out, the session cookie and antiforgery on the dashboard's forms.</summary>
public sealed class DashboardSignInTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Login_RightPassword_SetsHttpOnlyLaxSessionCookieBackedByARow()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var email = $"a-{Guid.NewGuid():N}@example.com";
        await DashboardClient.CreateUserAsync(factory, tenant.TeamId, email, UserRoles.Member);
        var client = new DashboardClient(factory.ClientWith(null), email);

        var response = await client.PostFormAsync("/login", "/login", new() { ["email"] = email, ["password"] = DashboardClient.Password });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/projects", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("slipway_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(email, await client.PageAsync("/projects"), StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.Email == email, Ct);
        Assert.Equal(1, await db.UserSessions.CountAsync(s => s.UserId == user.Id, Ct));
    }

    [Fact]
    public async Task Login_OverHttps_SessionCookieIsSecure()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var email = $"s-{Guid.NewGuid():N}@example.com";
        await DashboardClient.CreateUserAsync(factory, tenant.TeamId, email, UserRoles.Member);
        var http = factory.ClientWith(null);
        http.BaseAddress = new Uri("https://localhost");
        var client = new DashboardClient(http, email);

        var response = await client.PostFormAsync("/login", "/login", new() { ["email"] = email, ["password"] = DashboardClient.Password });

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("slipway_session=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Login_WrongPassword_Returns401WithoutSession()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var email = $"w-{Guid.NewGuid():N}@example.com";
        await DashboardClient.CreateUserAsync(factory, tenant.TeamId, email, UserRoles.Owner);
        var client = new DashboardClient(factory.ClientWith(null), email);

        var response = await client.PostFormAsync("/login", "/login", new() { ["email"] = email, ["password"] = "not the password at all" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Wrong e-mail address or password.", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("slipway_session=", StringComparison.Ordinal)));
        var page = await client.Http.GetAsync("/projects", Ct);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_AfterFiveFailures_Returns429EvenWithTheRightPassword()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var email = $"t-{Guid.NewGuid():N}@example.com";
        await DashboardClient.CreateUserAsync(factory, tenant.TeamId, email, UserRoles.Owner);
        var client = new DashboardClient(factory.ClientWith(null), email);
        for (var i = 0; i < Infrastructure.Users.LoginThrottle.MaxPerEmail; i++)
        {
            var wrong = await client.PostFormAsync("/login", "/login", new() { ["email"] = email, ["password"] = $"wrong password {i}" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var response = await client.PostFormAsync("/login", "/login", new() { ["email"] = email, ["password"] = DashboardClient.Password });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Too many failed sign-ins", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithoutAntiforgeryToken_Returns400AndNoSession()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var email = $"c-{Guid.NewGuid():N}@example.com";
        await DashboardClient.CreateUserAsync(factory, tenant.TeamId, email, UserRoles.Owner);
        var client = new DashboardClient(factory.ClientWith(null), email);
        await client.PageAsync("/login");

        var response = await client.PostWithoutTokenAsync("/login", new() { ["email"] = email, ["password"] = DashboardClient.Password });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("slipway_session=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Form_SignedInWithoutAntiforgeryToken_Returns400AndCreatesNothing()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var client = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Owner);

        var response = await client.PostWithoutTokenAsync("/projects", new() { ["name"] = "forged" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Projects.AnyAsync(p => p.TeamId == tenant.TeamId && p.Name == "forged", Ct));
    }

    [Fact]
    public async Task Logout_EndsTheSessionForEveryCopyOfTheCookie()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var client = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Member);
        var page = await client.PageAsync("/projects");
        var copy = factory.ClientWith(null);
        Assert.Equal(HttpStatusCode.OK, (await copy.SendAsync(WithSession("/projects", client), Ct)).StatusCode);

        var response = await client.PostFormAsync("/projects", "/logout", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("You are signed out.", await client.PageAsync("/login?signedout=1"), StringComparison.Ordinal);
        var replayed = await copy.SendAsync(WithSession("/projects", client), Ct);
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.StartsWith("/login", replayed.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains(client.Email, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_OnOtherApiRoutes_IsNotAccepted()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var client = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Owner);

        var response = await client.Http.GetAsync("/api/v1/projects", Ct);

        await MessageAsync(response, HttpStatusCode.Unauthorized, "Unauthenticated.");
    }

    private static HttpRequestMessage WithSession(string path, DashboardClient client)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"slipway_session={client.SessionCookie}");
        return request;
    }
}
