using System.Net;
using Slipway.Api.Tests.Fixtures;

namespace Slipway.Api.Tests;

public sealed class SmokeTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Health_NoToken_ReturnsPlainOk()
    {
        var response = await factory.ClientWith(null).GetAsync("/api/v1/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("OK", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
