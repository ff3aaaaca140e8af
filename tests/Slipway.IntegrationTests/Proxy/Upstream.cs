using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Proxy;

/// <summary>
/// A small web server on 127.0.0.1 standing in for an application's container: it answers
/// <c>{name} {path} host={Host header}</c>, so a test sees which upstream the proxy chose and what it forwarded.
/// </summary>
internal sealed class Upstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Upstream(WebApplication app, int port, string name)
    {
        _app = app;
        Port = port;
        Name = name;
    }

    public int Port { get; }
    public string Name { get; }

    public static async Task<Upstream> StartAsync(string name)
    {
        var port = SlipwayBinary.FreeLoopbackPort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync($"{name} {context.Request.Path} host={context.Request.Host}"));
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new Upstream(app, port, name);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
