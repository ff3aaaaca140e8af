namespace Slipway.IntegrationTests.Fixtures;

/// <summary>One <see cref="SshFixture"/> shared by a test class, so its tests share one pooled connection.</summary>
public sealed class SshClassFixture : IAsyncLifetime
{
    private SshFixture? _fixture;

    internal SshFixture Ssh => _fixture ?? throw new InvalidOperationException("The SSH fixture failed to start.");

    public async ValueTask InitializeAsync() => _fixture = await SshFixture.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_fixture is not null)
        {
            await _fixture.DisposeAsync();
        }
    }
}
