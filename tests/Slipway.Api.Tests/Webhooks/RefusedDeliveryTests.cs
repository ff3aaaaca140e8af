using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Features.Webhooks;
using Slipway.Api.Tests.Fixtures;
using Slipway.Testing.Webhooks;

namespace Slipway.Api.Tests.Webhooks;

/// <summary>
/// Deliveries no secret verified are kept apart from the application's history, bounded, and recorded at a limited
/// rate per source address — the address a trusted reverse proxy forwards, and only then. Real sockets (Kestrel), so
/// the source address is the connection's.
/// </summary>
public sealed class RefusedDeliveryTests(RefusedDeliveryTests.BehindProxy proxied, RefusedDeliveryTests.Direct direct)
    : IClassFixture<RefusedDeliveryTests.BehindProxy>, IClassFixture<RefusedDeliveryTests.Direct>
{
    private const string Attacker = "198.51.100.7";

    [Fact]
    public async Task Refused_PastTheRateOfAForwardedAddress_Are429AndUnrecorded_WhileOthersAndVerifiedPushesGoOn()
    {
        var scenario = await WebhookScenario.CreateAsync(proxied);
        var genuine = await scenario.PushAsync("genuine-1");

        var forged = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            forged.Add(await scenario.SendAsync(scenario.PushEvent, scenario.PushPayload(), $"forged-{i}", secret: "guessed", forwardedFor: Attacker));
        }

        var other = await scenario.SendAsync(scenario.PushEvent, scenario.PushPayload(), "forged-other", secret: "guessed", forwardedFor: "203.0.113.9, 127.0.0.1");
        var stillGenuine = await scenario.SendAsync(scenario.PushEvent, scenario.PushPayload().Set("after", new string('b', 40)), "genuine-2", forwardedFor: Attacker);

        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Equal([401, 401, 401, 429], forged.Select(r => (int)r.StatusCode));
        var tooMany = await ApiAssert.JsonElementAsync(forged[3], HttpStatusCode.TooManyRequests);
        Assert.Equal(WebhookReceiver.TooManyRefusedMessage, tooMany.GetProperty("message").GetString());
        Assert.Equal(0, tooMany.GetProperty("results").GetArrayLength());
        Assert.Equal("60", forged[3].Headers.RetryAfter?.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillGenuine.StatusCode);
        var refused = await scenario.RefusedAsync();
        Assert.Equal(
            [("forged-0", Attacker), ("forged-1", Attacker), ("forged-2", Attacker), ("forged-other", "203.0.113.9")],
            refused.Select(r => (r.DeliveryId, r.SourceAddress)));
        Assert.Equal(["genuine-1", "genuine-2"], (await scenario.DeliveriesAsync()).Select(d => d.DeliveryId));
        Assert.Equal(2, (await scenario.DeploymentsAsync()).Count);
    }

    [Fact]
    public async Task Refused_ManyAddresses_KeepOnlyTheNewest()
    {
        var scenario = await WebhookScenario.CreateAsync(proxied);

        for (var i = 1; i <= BehindProxy.Kept + 4; i++)
        {
            await scenario.SendAsync(scenario.PushEvent, scenario.PushPayload(), $"spray-{i}", secret: "guessed", forwardedFor: $"192.0.2.{i}");
        }

        await using var db = proxied.CreateDbContext();
        var kept = await db.RefusedWebhookDeliveries.AsNoTracking().OrderBy(d => d.Id).Select(d => d.DeliveryId).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(Enumerable.Range(5, BehindProxy.Kept).Select(i => $"spray-{i}"), kept);
    }

    [Fact]
    public async Task Refused_WithoutATrustedProxy_ForwardedHeadersAreIgnored()
    {
        var scenario = await WebhookScenario.CreateAsync(direct);

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            // A different "client" each time: were the header believed, no address would ever reach its limit.
            answers.Add((await scenario.SendAsync(scenario.PushEvent, scenario.PushPayload(), $"forged-{i}", secret: "guessed", forwardedFor: $"203.0.113.{i + 1}")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], answers);
        Assert.All(await scenario.RefusedAsync(), r => Assert.Equal("127.0.0.1", r.SourceAddress));
    }

    /// <summary>Hostile X-Forwarded-For values from a trusted proxy: a refusal (or 429), never a 5xx, and only an address is recorded.</summary>
    [Theory]
    [InlineData("not-an-ip")]
    [InlineData("198.51.100.1, ${jndi:ldap://x}")]
    [InlineData("::ffff:198.51.100.2")]
    [InlineData("[2001:db8::1]:443")]
    [InlineData("2001:db8:1:2:3:4:5:6, 2001:db8:1:2:ffff::9")]
    [InlineData("unknown, , ,")]
    [InlineData("'; DROP TABLE refused_webhook_deliveries; --")]
    public async Task Refused_HostileForwardedFor_IsAnsweredAndRecordsOnlyAnAddress(string forwardedFor)
    {
        var scenario = await WebhookScenario.CreateAsync(proxied);

        var response = await scenario.SendAsync(scenario.PushEvent, scenario.PushPayload(), secret: "guessed", forwardedFor: forwardedFor);

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests });
        Assert.All(await scenario.RefusedAsync(), r => Assert.True(r.SourceAddress is null || IPAddress.TryParse(r.SourceAddress, out _), r.SourceAddress));
    }

    [Fact]
    public async Task Refused_TenThousandForwardedHops_IsAnsweredPromptly()
    {
        var scenario = await WebhookScenario.CreateAsync(proxied);

        var response = await scenario.SendAsync(scenario.PushEvent, scenario.PushPayload(), secret: "guessed",
            forwardedFor: string.Join(", ", Enumerable.Range(0, 10_000).Select(i => $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}")));

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.RequestHeaderFieldsTooLarge, HttpStatusCode.BadRequest });
    }

    /// <summary>Slipway behind a proxy on 127.0.0.1 (the test's own connections), three refusals a minute per address.</summary>
    public sealed class BehindProxy : KestrelApiFactory
    {
        public const int Kept = 6;

        protected override void ConfigureSlipway(IWebHostBuilder builder)
        {
            builder.UseSetting("Slipway:TrustedProxies", "127.0.0.1, 10.0.0.0/8");
            builder.UseSetting("Slipway:Webhooks:RefusedPerMinute", "3");
            builder.UseSetting("Slipway:Webhooks:RefusedKept", Kept.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>No trusted proxy (the default): the connection's address is the sender's.</summary>
    public sealed class Direct : KestrelApiFactory
    {
        protected override void ConfigureSlipway(IWebHostBuilder builder) => builder.UseSetting("Slipway:Webhooks:RefusedPerMinute", "3");
    }
}
