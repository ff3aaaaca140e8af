using System.Net;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Deployments;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using Slipway.Core.Users;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Dashboard;

/// <summary>
/// What each role may see and do on the pages, scoped to the team exactly as the API is: a member deploys and
/// watches logs but never sees secret values; another team's pages are 404s.
/// </summary>
public sealed class DashboardRoleTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string SecretValue = "s3cr3t-value-9f2c";

    [Fact]
    public async Task ApplicationPage_Member_HidesVariableValuesThatAnOwnerSees()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var api = await tenant.ClientAsync(ApiAbility.Root);
        var created = await api.PostBodyAsync($"/api/v1/applications/{application.Uuid}/envs", new { key = "DATABASE_PASSWORD", value = SecretValue });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var path = await DashboardClient.PathOfAsync(factory, application);

        var member = await (await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Member)).PageAsync(path);
        var owner = await (await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Owner)).PageAsync(path);

        Assert.Contains("DATABASE_PASSWORD", member, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretValue, member, StringComparison.Ordinal);
        Assert.Contains(SecretValue, owner, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplicationPage_RepositoryWithCredentials_MemberSeesItRedacted_SavingKeepsTheStoredUrl()
    {
        const string withToken = "https://deploy-bot:ghp_s3cr3tT0ken@github.com/acme/private.git";
        const string redacted = "https://<REDACTED>@github.com/acme/private.git";
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync(configure: a => a.GitRepository = withToken);
        var path = await DashboardClient.PathOfAsync(factory, application);
        var member = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Member);

        var memberPage = await member.PageAsync(path);
        var ownerPage = await (await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Owner)).PageAsync(path);

        Assert.DoesNotContain("ghp_s3cr3tT0ken", memberPage, StringComparison.Ordinal);
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(redacted), memberPage, StringComparison.Ordinal);
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(withToken), ownerPage, StringComparison.Ordinal);

        // The settings form sends back what it shows: the redacted form keeps the stored URL and its credentials.
        var saved = await member.PostFormAsync(path, $"{path}?handler=Settings", new() { ["name"] = "renamed", ["git_repository"] = redacted });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        await using var db = factory.CreateDbContext();
        var stored = await db.Applications.AsNoTracking().SingleAsync(a => a.Id == application.Id, Ct);
        Assert.Equal((withToken, "renamed"), (stored.GitRepository, stored.Name));
    }

    [Fact]
    public async Task Deploy_Member_QueuesADeploymentWhoseLogNamesThem()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var path = await DashboardClient.PathOfAsync(factory, application);
        var member = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Member);

        var response = await member.PostFormAsync(path, $"{path}?handler=Deploy", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = factory.CreateDbContext();
        var deployment = await db.Deployments.SingleAsync(d => d.ApplicationId == application.Id, Ct);
        Assert.Equal(DeploymentStatus.Queued, deployment.Status);
        Assert.False(deployment.IsApi);
        Assert.Equal($"{path}/deployment/{deployment.Uuid}", response.Headers.Location!.OriginalString);
        var first = await db.DeploymentLogEntries.Where(e => e.DeploymentId == deployment.Id).OrderBy(e => e.Order).FirstAsync(Ct);
        Assert.Equal($"Started by {member.Email} from the dashboard.", first.Output);
        var page = await member.PageAsync(response.Headers.Location.OriginalString);
        Assert.Contains($"Started by {member.Email} from the dashboard.", page, StringComparison.Ordinal);
        Assert.Contains($"data-stream=\"/api/v1/deployments/{deployment.Uuid}/logs\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_InvalidDomain_ShowsTheApiMessageNextToTheField()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var path = await DashboardClient.PathOfAsync(factory, application);
        var owner = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Owner);
        var api = await tenant.ClientAsync(ApiAbility.Root);
        var apiAnswer = await api.PatchBodyAsync($"/api/v1/applications/{application.Uuid}", new { domains = "http://bad domain;rm -rf" });
        var apiMessage = (await JsonElementAsync(apiAnswer, HttpStatusCode.UnprocessableEntity)).GetProperty("errors").GetProperty("domains")[0].GetString()!;

        var response = await owner.PostFormAsync(path, $"{path}?handler=Settings", new() { ["name"] = application.Name, ["domains"] = "http://bad domain;rm -rf" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains($"<p class=\"error\" id=\"set-domains-error\">{System.Text.Encodings.Web.HtmlEncoder.Default.Encode(apiMessage)}</p>", html, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"set-domains-help set-domains-error\"", html, StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        Assert.Null((await db.Applications.SingleAsync(a => a.Id == application.Id, Ct)).Fqdn);
    }

    [Fact]
    public async Task Pages_AnotherTeamsApplicationAndDeployment_Return404()
    {
        var mine = await Tenant.CreateAsync(factory);
        var theirs = await Tenant.CreateAsync(factory);
        var application = await theirs.ApplicationAsync();
        var deployment = await theirs.DeploymentAsync(application, DeploymentStatus.InProgress, logLines: 3);
        var owner = await DashboardClient.SignInAsync(factory, mine.TeamId, UserRoles.Owner);
        var path = await DashboardClient.PathOfAsync(factory, application);

        await owner.PageAsync(path, HttpStatusCode.NotFound);
        await owner.PageAsync($"{path}/deployment/{deployment.Uuid}", HttpStatusCode.NotFound);
        await owner.PageAsync(path[..path.IndexOf("/environment", StringComparison.Ordinal)], HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.GetAsync($"/api/v1/deployments/{deployment.Uuid}/logs", Ct)).StatusCode);
        var deployed = await owner.PostWithoutTokenAsync($"{path}?handler=Deploy", []);
        Assert.NotEqual(HttpStatusCode.Redirect, deployed.StatusCode);
        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.Deployments.CountAsync(d => d.ApplicationId == application.Id, Ct));
    }

    [Fact]
    public async Task LogStream_MemberSession_ReadsTheLog()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var deployment = await tenant.DeploymentAsync(application, DeploymentStatus.Finished, logLines: 3);
        var member = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Member);

        var response = await member.Http.GetAsync($"/api/v1/deployments/{deployment.Uuid}/logs", Ct);

        var body = await JsonElementAsync(response, HttpStatusCode.OK);
        Assert.Equal(3, body.GetProperty("entries").GetArrayLength());
        await MessageAsync(await member.Http.GetAsync($"/api/v1/deployments/{deployment.Uuid}", Ct), HttpStatusCode.Unauthorized, "Unauthenticated.");
    }

    [Fact]
    public async Task DeploymentPage_BuildOutputWithMarkupAndColours_IsEncodedNeverMarkup()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync();
        var deployment = await tenant.DeploymentAsync(application, DeploymentStatus.Finished);
        await using (var db = factory.CreateDbContext())
        {
            db.DeploymentLogEntries.Add(new DeploymentLogEntry
            {
                DeploymentId = deployment.Id,
                Order = 1,
                Type = "stdout",
                Timestamp = DateTime.UtcNow,
                Output = "\u001b[31m<img src=x onerror=alert(1)>\u001b[0m done \u001b]0;title\u0007<script>alert(2)</script>",
            });
            await db.SaveChangesAsync(Ct);
        }

        var member = await DashboardClient.SignInAsync(factory, tenant.TeamId, UserRoles.Member);
        var html = await member.PageAsync(await DashboardClient.PathOfAsync(factory, application, deployment));

        Assert.Contains("<li data-order=\"1\"><span class=\"a-f1\">&lt;img src=x onerror=alert(1)&gt;</span> done &lt;script&gt;alert(2)&lt;/script&gt;</li>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("title", html.Split("<ol id=\"log\"")[1], StringComparison.Ordinal);
    }
}
