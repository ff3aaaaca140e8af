using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Deployments;
using Slipway.Testing;

namespace Slipway.Api.Tests.Deployments;

/// <summary><c>GET /deployments/{uuid}/logs</c> with <c>Accept: text/event-stream</c>: live entries, status changes, resuming.</summary>
public sealed class DeploymentEventsTests(StreamingApiFactory factory) : IClassFixture<StreamingApiFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly Seeder _seed = new(factory);
    private readonly DeploymentDriver _driver = new(factory);

    [Fact]
    public async Task Stream_EndedDeployment_SendsEveryEntryThenTheFinalStatusAndCloses()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.Finished, logLines: 600);

        await using var stream = await SseTestClient.OpenAsync(factory.RootClient(), $"/api/v1/deployments/{deployment.Uuid}/logs");
        var events = await stream.ReadToEndAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Enumerable.Range(1, 600), events.Where(e => e.IsEntry).Select(e => e.Order));
        Assert.All(events.Where(e => e.IsEntry), e => Assert.Equal(e.Order.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Id));
        Assert.Equal("Step 42: building layer 42 of the image", events.Single(e => e.IsEntry && e.Order == 42).Json.GetProperty("output").GetString());
        var last = events[^1];
        Assert.True(last.IsStatus);
        Assert.Equal("finished", last.Status);
        Assert.Single(events, e => e.IsStatus);
    }

    [Fact]
    public async Task Stream_AfterQuery_StartsAfterThatOrder()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.Failed, logLines: 10);

        await using var stream = await SseTestClient.OpenAsync(factory.RootClient(), $"/api/v1/deployments/{deployment.Uuid}/logs?after=7");
        var events = await stream.ReadToEndAsync(Patience);

        Assert.Equal([8, 9, 10], events.Where(e => e.IsEntry).Select(e => e.Order));
        Assert.Equal("failed", events[^1].Status);
    }

    [Fact]
    public async Task Stream_LiveDeployment_SendsNewEntriesAndStatusChanges_AndNoEntryAfterTheTerminalStatus()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.Queued);
        await using var stream = await SseTestClient.OpenAsync(factory.RootClient(), $"/api/v1/deployments/{deployment.Uuid}/logs");
        Assert.Equal("queued", (await stream.NextAsync(Patience))!.Status);

        await _driver.SetStatusAsync(deployment, DeploymentStatus.Queued, DeploymentStatus.InProgress);
        Assert.Equal("in_progress", (await stream.NextAsync(Patience))!.Status);
        await _driver.AppendAsync(deployment, "-----> Cloning repository", "Cloning into 'app'...");
        var first = (await stream.NextAsync(Patience))!.Order;
        var second = (await stream.NextAsync(Patience))!.Order;
        Assert.Equal((1, 2), (first, second));

        // As a run does: the status turns terminal first, its last line is stored after, then the log ends.
        await _driver.AppendAsync(deployment, "-----> Checking health");
        Assert.Equal(3, (await stream.NextAsync(Patience))!.Order);
        await _driver.SetStatusAsync(deployment, DeploymentStatus.InProgress, DeploymentStatus.Finished);
        // A keep-alive a full interval later proves the stream saw the terminal status and stayed open for the
        // lines still to come (one sent before the status change would arrive sooner).
        var changed = Stopwatch.StartNew();
        SseEvent? idle;
        do
        {
            idle = await stream.NextAsync(Patience, includeComments: true);
            Assert.Equal("keep-alive", idle?.Comment);
        }
        while (changed.Elapsed < StreamingApiFactory.KeepAlive);

        await _driver.AppendAsync(deployment, "Deployment finished.");
        await _driver.CompleteLogAsync(deployment);
        var rest = await stream.ReadToEndAsync(Patience);

        Assert.Equal(["Deployment finished."], rest.Where(e => e.IsEntry).Select(e => e.Json.GetProperty("output").GetString()));
        Assert.True(rest[^1].IsStatus, "The terminal status event comes last.");
        Assert.Equal("finished", rest[^1].Status);
    }

    [Fact]
    public async Task Stream_DisconnectedAndResumedWithLastEventId_ReceivesEveryEntryExactlyOnce()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.InProgress);
        var url = $"/api/v1/deployments/{deployment.Uuid}/logs";
        var received = new List<int>();
        var writing = Task.Run(async () =>
        {
            for (var batch = 0; batch < 40; batch++)
            {
                await _driver.AppendAsync(deployment, Enumerable.Range(0, 25).Select(i => $"line {(batch * 25) + i + 1}").ToArray());
            }
        }, Ct);

        string? lastId;
        await using (var first = await SseTestClient.OpenAsync(factory.RootClient(), url))
        {
            while (received.Count < 300 && await first.NextAsync(Patience) is { } e)
            {
                if (e.IsEntry)
                {
                    received.Add(e.Order);
                }
            }

            lastId = received[^1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await writing;
        await _driver.FinishAsync(deployment, DeploymentStatus.Finished, "Deployment finished.");
        await using var resumed = await SseTestClient.OpenAsync(factory.RootClient(), url, lastEventId: lastId);
        var rest = await resumed.ReadToEndAsync(Patience);
        received.AddRange(rest.Where(e => e.IsEntry).Select(e => e.Order));

        Assert.Equal(Enumerable.Range(1, 1_001), received);
        Assert.Equal("finished", rest[^1].Status);
    }

    [Fact]
    public async Task Stream_LateFollowerOfALongLiveLog_ReadsTheOldPartFromTheDatabaseThenTheHeldWindow_EveryEntryOnce()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.InProgress);
        var feed = factory.Services.GetRequiredService<DeploymentLogFeed>();
        var early = RecentLogEntries.Capacity + 1_000;
        for (var start = 1; start <= early; start += 500)
        {
            await _driver.AppendAsync(deployment, Enumerable.Range(start, Math.Min(500, early - start + 1)).Select(i => $"line {i}").ToArray());
        }

        Assert.True(feed.Recent.Holds(deployment.Id), "A log being written keeps its newest entries in memory.");
        var received = new List<int>();
        await using var stream = await SseTestClient.OpenAsync(factory.RootClient(), $"/api/v1/deployments/{deployment.Uuid}/logs");
        while (received.Count < early && await stream.NextAsync(Patience) is { } e)
        {
            if (e.IsEntry)
            {
                received.Add(e.Order);
            }
        }

        await _driver.AppendAsync(deployment, "one more", "and another");
        await _driver.FinishAsync(deployment, DeploymentStatus.Finished, "Deployment finished.");
        var rest = await stream.ReadToEndAsync(Patience);
        received.AddRange(rest.Where(e => e.IsEntry).Select(e => e.Order));

        Assert.Equal(Enumerable.Range(1, early + 3), received);
        Assert.Equal("and another", rest.Single(e => e.IsEntry && e.Order == early + 2).Json.GetProperty("output").GetString());
        Assert.Equal("finished", rest[^1].Status);
        Assert.False(feed.Recent.Holds(deployment.Id), "A completed log's entries are not kept in memory.");
    }

    [Fact]
    public async Task Stream_Idle_SendsKeepAliveComments()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.InProgress);

        await using var stream = await SseTestClient.OpenAsync(factory.RootClient(), $"/api/v1/deployments/{deployment.Uuid}/logs");
        Assert.Equal("in_progress", (await stream.NextAsync(Patience))!.Status);
        var comments = new List<string>();
        while (comments.Count < 2)
        {
            var next = await stream.NextAsync(Patience, includeComments: true);
            Assert.NotNull(next);
            Assert.NotNull(next.Comment);
            comments.Add(next.Comment);
        }

        Assert.All(comments, c => Assert.Equal("keep-alive", c));
    }

    [Fact]
    public async Task Stream_QueuedDeploymentCancelled_SendsTheReasonLineThenCancelledAndCloses()
    {
        for (var round = 0; round < 5; round++)
        {
            var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.Queued);
            await using var stream = await SseTestClient.OpenAsync(factory.RootClient(), $"/api/v1/deployments/{deployment.Uuid}/logs");
            Assert.Equal("queued", (await stream.NextAsync(Patience))!.Status);

            var cancel = await factory.RootClient().PostAsync($"/api/v1/deployments/{deployment.Uuid}/cancel", null, Ct);
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            var rest = await stream.ReadToEndAsync(Patience);

            var entry = Assert.Single(rest, e => e.IsEntry);
            Assert.StartsWith("Deployment cancelled by user via API", entry.Json.GetProperty("output").GetString(), StringComparison.Ordinal);
            Assert.Equal("cancelled-by-user", rest[^1].Status);
        }
    }

    [Fact]
    public async Task Cancel_WhenTheStatusTurnsTerminal_TheLogIsStillHeldOpenForTheReasonLine()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync(), DeploymentStatus.Queued);
        var feed = factory.Services.GetRequiredService<DeploymentLogFeed>();
        var writingAtStatusChange = new List<bool>();
        using (feed.Subscribe(deployment.Id, change =>
        {
            if (change == DeploymentChange.Row)
            {
                lock (writingAtStatusChange)
                {
                    writingAtStatusChange.Add(feed.IsWriting(deployment.Id));
                }
            }
        }))
        {
            var cancel = await factory.RootClient().PostAsync($"/api/v1/deployments/{deployment.Uuid}/cancel", null, Ct);
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        // A follower that sees cancelled-by-user must not stop before the reason line is stored.
        Assert.Equal([true], writingAtStatusChange);
        Assert.False(feed.IsWriting(deployment.Id), "Once the reason line is stored, nothing holds the log open.");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    public async Task Stream_InvalidLastEventId_Returns422(string lastEventId)
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync());

        await using var stream = await SseTestClient.OpenAsync(factory.RootClient(), $"/api/v1/deployments/{deployment.Uuid}/logs", lastEventId);

        Assert.Single(await Fixtures.ApiAssert.ValidationAsync(stream.Response, "Last-Event-ID"));
    }

    [Fact]
    public async Task Stream_ReadOnlyToken_Returns403()
    {
        var deployment = await _seed.DeploymentAsync(await _seed.ApplicationAsync());
        var client = factory.ClientWith(await factory.CreateTokenAsync(Core.Tokens.ApiAbility.Read));

        await using var stream = await SseTestClient.OpenAsync(client, $"/api/v1/deployments/{deployment.Uuid}/logs");

        await ApiAssert.MessageAsync(stream.Response, HttpStatusCode.Forbidden, "Missing required permissions: read:sensitive");
    }
}
