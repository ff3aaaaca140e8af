using System.Net;
using Slipway.Api.Tests.Deployments;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Auth;

/// <summary>Coolify's error shape everywhere under /api, and JSON on every answer except the plain-text ones.</summary>
public sealed class ErrorResponseTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("GET", "/api/v1/nope")]
    [InlineData("GET", "/api/nope")]
    [InlineData("POST", "/api/v1/deployments/abcdefghijklmnopqrstuvwx/cancel/extra")]
    [InlineData("GET", "/api/v1/deployments/applications")]
    [InlineData("GET", "/api/v2/deployments")]
    [InlineData("DELETE", "/api/v1/unknown/thing")]
    public async Task Request_UnknownApiPath_Returns404NotFound(string method, string path)
    {
        var client = await (await Tenant.CreateAsync(factory)).ClientAsync(ApiAbility.Root);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        if (path == "/api/v1/deployments/applications")
        {
            // Matches /deployments/{uuid} with uuid "applications": a deployment that does not exist.
            await MessageAsync(response, HttpStatusCode.NotFound, "Deployment not found.");
            return;
        }

        await MessageAsync(response, HttpStatusCode.NotFound, "Not found.");
    }

    [Theory]
    [InlineData("/api/v1/nope")]
    [InlineData("/api/nope")]
    public async Task Request_UnknownApiPathWithoutToken_Returns404NotFound(string path)
    {
        await MessageAsync(await factory.ClientWith(null).GetAsync(path), HttpStatusCode.NotFound, "Not found.");
    }

    [Theory]
    [InlineData("DELETE", "/api/v1/deployments")]
    [InlineData("PUT", "/api/v1/deployments/abcdefghijklmnopqrstuvwx")]
    [InlineData("GET", "/api/v1/deployments/abcdefghijklmnopqrstuvwx/cancel")]
    [InlineData("PATCH", "/api/v1/deploy")]
    public async Task Request_WrongMethodOnKnownPath_Returns405Json(string method, string path)
    {
        var client = await (await Tenant.CreateAsync(factory)).ClientAsync(ApiAbility.Root);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        var body = await JsonAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.StartsWith("{\"message\":", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/health", null)]
    [InlineData("/api/health", null)]
    [InlineData("/api/v1/version", "read")]
    public async Task Request_TextEndpoints_AnswerTextHtmlAsCoolify(string path, string? ability)
    {
        var client = ability is null ? factory.ClientWith(null) : await (await Tenant.CreateAsync(factory)).ClientAsync(ApiAbility.Read);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(path.EndsWith("version", StringComparison.Ordinal) ? Slipway.Api.Features.Health.HealthEndpoints.Version : "OK", text);
    }

    [Fact]
    public async Task Version_NoToken_Returns401Json()
    {
        await MessageAsync(await factory.ClientWith(null).GetAsync("/api/v1/version"), HttpStatusCode.Unauthorized, "Unauthenticated.");
    }
}
