using System.Net;
using System.Text.Encodings.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Deployments;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Users;
using Slipway.Infrastructure.Users;
using Slipway.Testing;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Dashboard;

public sealed partial class DashboardAdminPagesTests
{
    [Fact]
    public async Task Keys_Add_ShowsFingerprintNeverTheKey_EvenAfterAFailedAttempt()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var owner = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Owner);
        var key = await TestSshKeys.GenerateAsync("ed25519");
        var body = key.PrivateKey.Split('\n')[1];

        var refused = await owner.PostFormAsync("/keys", "/keys", new() { ["name"] = "bad\u0001name", ["private_key"] = key.PrivateKey });
        var refusedHtml = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("id=\"name-error\"", refusedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(body, refusedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(JavaScriptEncoder.Default.Encode(body), refusedHtml, StringComparison.Ordinal);

        var added = await owner.PostFormAsync("/keys", "/keys", new() { ["name"] = "deploy", ["private_key"] = key.PrivateKey });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var page = await owner.PageAsync("/keys");
        Assert.Contains(HtmlEncoder.Default.Encode(key.Fingerprint), page, StringComparison.Ordinal);
        Assert.Contains(HtmlEncoder.Default.Encode(key.PublicKey), page, StringComparison.Ordinal);
        Assert.DoesNotContain(body, page, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY-----", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_NotAKey_ApiMessageBesideTheFieldAndNothingStored()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var owner = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Owner);
        var api = await tenant.ClientAsync(Core.Tokens.ApiAbility.Root);
        var apiAnswer = await api.PostBodyAsync("/api/v1/security/keys", new { private_key = "not a key <b>" });
        var apiMessage = (await JsonElementAsync(apiAnswer, HttpStatusCode.UnprocessableEntity)).GetProperty("errors").GetProperty("private_key")[0].GetString()!;

        var response = await owner.PostFormAsync("/keys", "/keys", new() { ["private_key"] = "not a key <b>" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains($"<p class=\"error\" id=\"private_key-error\">{HtmlEncoder.Default.Encode(apiMessage)}</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("not a key", html, StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        Assert.False(await db.PrivateKeys.AnyAsync(k => k.TeamId == tenant.TeamId, Ct));
    }

    [Fact]
    public async Task Servers_AddAndValidate_ShowsTheValidationLogAndProxyStatus_OtherTeam404()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var owner = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Owner);
        var key = await TestSshKeys.GenerateAsync("ed25519");
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync("/keys", "/keys", new() { ["private_key"] = key.PrivateKey })).StatusCode);
        await using var db = factory.CreateDbContext();
        var keyUuid = (await db.PrivateKeys.SingleAsync(k => k.TeamId == tenant.TeamId, Ct)).Uuid;
        var closedPort = SlipwayBinary.FreeLoopbackPort();

        var invalid = await owner.PostFormAsync("/servers", "/servers", new() { ["ip"] = "127.0.0.1;reboot", ["private_key_uuid"] = keyUuid });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Contains("id=\"ip-error\"", await invalid.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // The tenant's seeded server has 127.0.0.1: the API's duplicate message lands beside the address.
        var duplicate = await owner.PostFormAsync("/servers", "/servers", new() { ["ip"] = "127.0.0.1", ["private_key_uuid"] = keyUuid });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("<p class=\"error\" id=\"ip-error\">Server with this IP already exists.</p>", await duplicate.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var added = await owner.PostFormAsync("/servers", "/servers", new()
        {
            ["name"] = "edge",
            ["ip"] = "localhost",
            ["port"] = closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["user"] = "deploy",
            ["private_key_uuid"] = keyUuid,
            ["proxy_type"] = "NONE",
            ["instant_validate"] = "false",
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var path = added.Headers.Location!.OriginalString.Split('?')[0];
        Assert.Contains("Not validated yet.", await owner.PageAsync(path), StringComparison.Ordinal);

        var validated = await owner.PostFormAsync(path, $"{path}?handler=Validate", []);
        Assert.Equal(HttpStatusCode.Redirect, validated.StatusCode);
        var page = await owner.PageAsync(validated.Headers.Location!.OriginalString);
        Assert.Contains("Not reachable: see the log.", page, StringComparison.Ordinal);
        Assert.Contains("Could not open an SSH session with ", page.Split("id=\"validation-log\"")[1], StringComparison.Ordinal);
        Assert.Contains("id=\"proxy-status\"", page, StringComparison.Ordinal);
        Assert.Contains("<dt>Proxy</dt><dd>NONE</dd>", page, StringComparison.Ordinal);

        var stranger = await DashboardClient.SignInAsync(factory, (await Tenant.CreateAsync(factory)).TeamId, UserRoles.Owner);
        await stranger.PageAsync(path, HttpStatusCode.NotFound);
        Assert.DoesNotContain("edge", await stranger.PageAsync("/servers"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostFormAsync("/servers", $"{path}?handler=Validate", [])).StatusCode);
    }

    [Fact]
    public async Task Team_OwnerAddsAndRemoves_AdminNeverMakesAnOwner_MemberChangesNothing()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var owner = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Owner);
        var admin = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Admin);
        var member = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Member);
        var users = factory.Services.GetRequiredService<UserService>();
        var email = $"new-{Guid.NewGuid():N}@example.com";

        var memberPage = await member.PageAsync("/team");
        Assert.Contains(owner.Email, memberPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Add a member", memberPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostFormAsync("/team", "/team", new() { ["email"] = email, ["password"] = DashboardClient.Password, ["role"] = "member" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostFormAsync("/team", "/team", new() { ["email"] = email, ["password"] = DashboardClient.Password, ["role"] = "owner" })).StatusCode);
        Assert.Null(await users.VerifyAsync(email, DashboardClient.Password, Ct));

        var tooShort = await owner.PostFormAsync("/team", "/team", new() { ["email"] = email, ["password"] = "short", ["role"] = "member" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooShort.StatusCode);
        Assert.Contains("id=\"password-error\"", await tooShort.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/team", "/team", new() { ["email"] = email, ["password"] = DashboardClient.Password, ["role"] = "member" })).StatusCode);
        var added = await users.VerifyAsync(email, DashboardClient.Password, Ct);
        Assert.Equal((tenant.TeamId, UserRoles.Member), (added!.TeamId, added.Role));

        var ownerId = (await users.ListAsync(tenant.TeamId, Ct)).Single(u => u.Email == owner.Email).Id;
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostFormAsync("/team", "/team?handler=Remove", new() { ["id"] = $"{ownerId}" })).StatusCode);
        var lastOwner = await owner.PostFormAsync("/team", "/team?handler=Role", new() { ["id"] = $"{ownerId}", ["role"] = "admin" });
        Assert.Equal(HttpStatusCode.Conflict, lastOwner.StatusCode);
        Assert.Contains("A team keeps at least one owner.", await lastOwner.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync("/team", "/team?handler=Remove", new() { ["id"] = $"{added.Id}" })).StatusCode);
        Assert.Null(await users.FindAsync(tenant.TeamId, added.Id, Ct));
        var stranger = await DashboardClient.SignInAsync(factory, (await Tenant.CreateAsync(factory)).TeamId, UserRoles.Owner);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostFormAsync("/team", "/team?handler=Remove", new() { ["id"] = $"{ownerId}" })).StatusCode);
        Assert.DoesNotContain(owner.Email, await stranger.PageAsync("/team"), StringComparison.Ordinal);
    }
}
