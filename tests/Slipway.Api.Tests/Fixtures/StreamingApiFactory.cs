using Microsoft.AspNetCore.Hosting;

namespace Slipway.Api.Tests.Fixtures;

/// <summary>The API host with keep-alive comments every 200 ms instead of 15 s, so an idle stream shows them quickly.</summary>
public sealed class StreamingApiFactory : ApiFactory
{
    public static readonly TimeSpan KeepAlive = TimeSpan.FromMilliseconds(200);

    protected override void ConfigureSlipway(IWebHostBuilder builder) =>
        builder.UseSetting("Slipway:Logs:KeepAliveInterval", KeepAlive.ToString());
}
