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

    [Theory]
    [InlineData(true, "ALPHA,MIDDLE,ZULU")]
    [InlineData(false, "ZULU,ALPHA,MIDDLE")]
    public void Choose_Sorting_ByKeyWhenOn_InTheOrderAddedWhenOff(bool sorted, string expected)
    {
        EnvironmentVariable[] stored = [Added(3, "MIDDLE"), Added(1, "ZULU"), Added(2, "ALPHA")];

        var (given, _) = DeploymentVariables.Choose(stored, preview: false, sorted);

        Assert.Equal(expected, string.Join(',', given.Select(v => v.Key)));
    }

    private static EnvironmentVariable Added(long id, string key) => new() { Id = id, Uuid = key, Key = key, ProtectedValue = "x" };

    private static EnvironmentVariable Variable(string key, bool preview, bool locked) =>
        new() { Uuid = key + preview, Key = key, ProtectedValue = "x", IsPreview = preview, IsShownOnce = locked };
}
