using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Tokens;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// Credentials in <c>git_repository</c> reach no log: a run cancelled while <c>git ls-remote</c> waits on the host
/// writes its command line to the server's own log, the deployment log and the API answers only redacted.
/// </summary>
public sealed class CommandRedactionTests(CommandRedactionTests.LoggingEngineHost host) : IClassFixture<CommandRedactionTests.LoggingEngineHost>
{
    private const string Token = "tok3n-s3cr3t-9f2c";

    [Fact]
    public async Task CancelDuringLsRemote_CredentialsInTheUrl_AppearInNoLogAndNoReadAnswer()
    {
        // A "git host" that accepts and never answers: git waits on it until the cancel stops it.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                held.Add(await silent.AcceptTcpClientAsync(TestContext.Current.CancellationToken));
            }
        }, TestContext.Current.CancellationToken);
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var origin = await GitRepository.CreateBareAsync();
        var app = await host.CreateStaticSiteAsync(origin, SlipwayBinary.FreeLoopbackPort(),
            body => body["git_repository"] = $"https://deploy:{Token}@127.0.0.1:{port}/acme/site.git");

        var deployment = await host.DeployAsync(app);
        await host.WaitUntilAsync(deployment, d => EngineHost.FullLog(d).Contains("$ git ls-remote", StringComparison.Ordinal), "git ls-remote started");
        Assert.Equal(200, (await host.CancelAsync(deployment)).Status);
        var ended = await host.WaitAsync(deployment);

        Assert.Equal("cancelled-by-user", EngineHost.Status(ended));
        // The runner logs the cancellation once the killed process has exited, which may come after the run's status.
        var collector = host.Services.GetFakeLogCollector();
        Assert.True(await Poll.UntilAsync(() => collector.GetSnapshot().Any(r => r.Message.StartsWith("Cancelled git ls-remote", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken), "the cancellation of git ls-remote is logged");
        var records = collector.GetSnapshot();
        var cancelled = Assert.Single(records, r => r.Message.StartsWith("Cancelled git ls-remote", StringComparison.Ordinal));
        Assert.Equal($"Cancelled git ls-remote -- https://<REDACTED>@127.0.0.1:{port}/acme/site.git refs/heads/main on localhost; stopped its processes.", cancelled.Message);
        Assert.DoesNotContain(records, r => r.Message.Contains(Token, StringComparison.Ordinal) || r.Exception?.ToString().Contains(Token, StringComparison.Ordinal) == true);
        Assert.DoesNotContain(Token, ended.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains($"$ git ls-remote -- https://<REDACTED>@127.0.0.1:{port}/acme/site.git refs/heads/main", EngineHost.FullLog(ended), StringComparison.Ordinal);
        Assert.Equal($"https://<REDACTED>@127.0.0.1:{port}/acme/site.git", (await host.ReadApplicationAsync(app, ApiAbility.Read))["git_repository"]!.GetValue<string>());

        silent.Stop();
        held.ForEach(c => c.Dispose());
        await Assert.ThrowsAnyAsync<Exception>(() => accepting);
    }

    /// <summary>The engine host with every log record of the server kept for inspection.</summary>
    public sealed class LoggingEngineHost : EngineHost
    {
        public async Task<JsonNode> ReadApplicationAsync(string application, ApiAbility abilities)
        {
            var (_, token) = await Services.GetRequiredService<ApiTokenService>().CreateAsync(0, "reader", abilities, null, CancellationToken.None);
            using var client = CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return JsonNode.Parse(await client.GetStringAsync($"/api/v1/applications/{application}", TestContext.Current.CancellationToken))!;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging());
        }
    }
}
