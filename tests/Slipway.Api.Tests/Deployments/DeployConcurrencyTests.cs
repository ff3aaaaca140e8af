using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Deployments;

/// <summary>Simultaneous triggers: the dedupe and the queue limit hold (Coolify's check-then-act race must not exist).</summary>
public sealed class DeployConcurrencyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const int Requests = 50;

    [Fact]
    public async Task Deploy_FiftySimultaneousForOneApplication_StoresOneAndAllAnswerItsUuid()
    {
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync("busy");
        // Distinct tokens, half asking by query, half by body. Each token is checked once first, so the deploys
        // themselves arrive together instead of being staggered by cold token look-ups.
        var clients = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => tenant.ClientAsync(ApiAbility.Deploy)));
        await Task.WhenAll(clients.Select(async c => await JsonAsync(await c.GetAsync("/api/v1/tokens/current"), HttpStatusCode.OK)));

        var responses = await Task.WhenAll(clients.Select((client, i) => i % 2 == 0
            ? client.PostEmptyAsync($"/api/v1/deploy?uuid={application.Uuid}")
            : client.PostJsonAsync("/api/v1/deploy", $$"""{"uuid":"{{application.Uuid}}"}""")));

        var items = new List<JsonElement>();
        foreach (var response in responses)
        {
            items.Add((await JsonElementAsync(response, HttpStatusCode.OK)).GetProperty("deployments")[0]);
        }

        var stored = Assert.Single(await DeploymentsAsync(tenant.Server.Id));
        Assert.All(items, i => Assert.Equal(stored.Uuid, i.GetProperty("deployment_uuid").GetString()));
        Assert.Single(items, i => i.GetProperty("message").GetString() == "Application busy deployment queued.");
        Assert.Equal(Requests - 1, items.Count(i => i.GetProperty("message").GetString() == "Deployment already queued for this commit."));
    }

    [Fact]
    public async Task Deploy_FiftySimultaneousForFiftyApplicationsOnServerWithLimit25_Stores25AndRefuses25()
    {
        var tenant = await Tenant.CreateAsync(factory, queueLimit: 25);
        var applications = new List<Application>();
        for (var i = 0; i < Requests; i++)
        {
            applications.Add(await tenant.ApplicationAsync($"app-{i}"));
        }

        var client = await tenant.ClientAsync(ApiAbility.Deploy);

        var responses = await Task.WhenAll(applications.Select(a => client.PostEmptyAsync($"/api/v1/deploy?uuid={a.Uuid}")));

        var accepted = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(25, accepted.Count);
        Assert.Equal(25, refused.Count);
        foreach (var response in refused)
        {
            await MessageAsync(response, HttpStatusCode.TooManyRequests, "Deployment queue is full. Please wait for existing deployments to complete.");
            Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
        }

        var answered = new List<string>();
        foreach (var response in accepted)
        {
            answered.Add((await JsonElementAsync(response, HttpStatusCode.OK)).GetProperty("deployments")[0].GetProperty("deployment_uuid").GetString()!);
        }

        var stored = await DeploymentsAsync(tenant.Server.Id);
        Assert.Equal(25, stored.Count);
        Assert.Equal(25, stored.Select(d => d.ApplicationId).Distinct().Count());
        Assert.Equal(stored.Select(d => d.Uuid).Order(), answered.Order());
    }

    private async Task<List<Deployment>> DeploymentsAsync(long serverId)
    {
        await using var db = factory.CreateDbContext();
        return await db.Deployments.AsNoTracking().Where(d => d.ServerId == serverId).ToListAsync(Ct);
    }
}
