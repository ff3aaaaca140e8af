using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Users;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Dashboard;

/// <summary>
/// A browser stand-in for the dashboard: its own cookie jar (the HttpClient's), signs in through the real sign-in
/// form, and posts forms with the antiforgery token read from the page that carries them, as a browser would.
/// </summary>
internal sealed partial class DashboardClient(HttpClient http, string email)
{
    public const string Password = "correct horse battery staple";

    public HttpClient Http { get; } = http;
    public string Email { get; } = email;

    /// <summary>The session cookie's value from the sign-in answer.</summary>
    public string SessionCookie { get; private set; } = string.Empty;

    public static async Task CreateUserAsync(ApiFactory factory, long teamId, string email, string role)
    {
        var created = await factory.Services.GetRequiredService<UserService>().CreateAsync(teamId, email, Password, role, Ct);
        Assert.Null(created.Error);
    }

    public static async Task<DashboardClient> SignInAsync(ApiFactory factory, long teamId, string role)
    {
        var email = $"{role}-{Guid.NewGuid():N}@example.com";
        await CreateUserAsync(factory, teamId, email, role);
        var client = new DashboardClient(factory.ClientWith(null), email);
        var response = await client.PostFormAsync("/login", "/login", new() { ["email"] = email, ["password"] = Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("slipway_session=", StringComparison.Ordinal));
        client.SessionCookie = cookie["slipway_session=".Length..cookie.IndexOf(';', StringComparison.Ordinal)];
        return client;
    }

    public async Task<string> PageAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Http.GetAsync(path, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"GET {path}: {(int)response.StatusCode}\n{html}");
        return html;
    }

    /// <summary>Reads the antiforgery token from <paramref name="formPage"/>, then posts the form to <paramref name="action"/>.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string formPage, string action, Dictionary<string, string> fields) =>
        PostFormPairsAsync(formPage, action, fields.ToList());

    /// <summary>The same with fields that may repeat a name (checkboxes of one group).</summary>
    public async Task<HttpResponseMessage> PostFormPairsAsync(string formPage, string action, List<KeyValuePair<string, string>> fields)
    {
        var token = Token(await PageAsync(formPage));
        return await Http.PostAsync(action, new FormUrlEncodedContent([.. fields, KeyValuePair.Create("__csrf", token)]), Ct);
    }

    public Task<HttpResponseMessage> PostWithoutTokenAsync(string action, Dictionary<string, string> fields) =>
        Http.PostAsync(action, new FormUrlEncodedContent(fields), Ct);

    public static string Token(string html) =>
        TokenField().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("The page has no antiforgery token.");

    /// <summary>The dashboard path of an application (Coolify's project/environment/application URL).</summary>
    public static async Task<string> PathOfAsync(ApiFactory factory, Application application)
    {
        await using var db = factory.CreateDbContext();
        var environment = await db.Environments.Include(e => e.Project).FirstAsync(e => e.Id == application.EnvironmentId, Ct);
        return $"/project/{environment.Project!.Uuid}/environment/{environment.Uuid}/application/{application.Uuid}";
    }

    public static async Task<string> PathOfAsync(ApiFactory factory, Application application, Deployment deployment) =>
        $"{await PathOfAsync(factory, application)}/deployment/{deployment.Uuid}";

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
