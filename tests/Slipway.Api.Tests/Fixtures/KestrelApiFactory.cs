using Slipway.Testing;

namespace Slipway.Api.Tests.Fixtures;

/// <summary>The API host listening on a free loopback port, for clients in other processes (the real <c>slipway</c> CLI).</summary>
public class KestrelApiFactory : ApiFactory
{
    public KestrelApiFactory()
    {
        Port = SlipwayBinary.FreeLoopbackPort();
        UseKestrel(Port);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    protected override void StartHost() => StartServer();

    protected override Uri ClientBaseAddress => new(Url);
}
