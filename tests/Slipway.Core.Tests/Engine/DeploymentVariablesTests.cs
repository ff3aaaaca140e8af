using Slipway.Core.Applications;
using Slipway.Core.Engine;

namespace Slipway.Core.Tests.Engine;

public sealed class DeploymentVariablesTests
{
    private static readonly EnvironmentVariable[] Stored =
    [
        Variable("SECRET_TOKEN", preview: false, locked: true),
        Variable("GREETING", preview: false, locked: false),
        Variable("SECRET_TOKEN", preview: true, locked: false),
        Variable("STRIPE_KEY", preview: true, locked: true),
        Variable("API_URL", preview: true, locked: false),
    ];

    [Fact]
    public void Choose_Production_GetsProductionsSetLockedIncluded()
    {
        var (given, leftOut) = DeploymentVariables.Choose(Stored, preview: false);

        Assert.Equal([("GREETING", false), ("SECRET_TOKEN", false)], given.Select(v => (v.Key, v.IsPreview)));
        Assert.Empty(leftOut);
    }

    [Fact]
    public void Choose_Preview_GetsOnlyUnlockedPreviewVariables_AndNamesTheLockedOnesLeftOut()
    {
        var (given, leftOut) = DeploymentVariables.Choose(Stored, preview: true);

        Assert.Equal([("API_URL", true), ("SECRET_TOKEN", true)], given.Select(v => (v.Key, v.IsPreview)));
        Assert.Equal(["STRIPE_KEY"], leftOut);
    }

    private static EnvironmentVariable Variable(string key, bool preview, bool locked) =>
        new() { Uuid = key + preview, Key = key, ProtectedValue = "x", IsPreview = preview, IsShownOnce = locked };
}
