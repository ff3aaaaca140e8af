using Slipway.Core.Engine;

namespace Slipway.Core.Tests.Engine;

/// <summary>The build network (issue 10, items 3 and 8): previews never build on the host network.</summary>
public sealed class DockerBuilderTests
{
    [Theory]
    [InlineData(false, true, false, "host")]
    [InlineData(false, true, true, "host")]
    [InlineData(false, false, true, null)]
    [InlineData(false, false, false, "none")]
    [InlineData(true, true, true, null)]
    [InlineData(true, true, false, "none")]
    [InlineData(true, false, true, null)]
    [InlineData(true, false, false, "none")]
    public void Network_ForEachKindOfBuildAndServer_IsTheDocumentedOne(bool preview, bool allowsHost, bool defaultBridge, string? expected)
    {
        var (network, reason) = DockerBuilder.Network(preview, allowsHost, defaultBridge);

        Assert.Equal(expected, network);
        Assert.False(string.IsNullOrWhiteSpace(reason));
        if (preview)
        {
            Assert.Contains("a preview never builds on the host network", reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/usr/bin/docker", true)]
    [InlineData("/usr/local/bin/docker", true)]
    [InlineData("/opt/docker-28.1+dfsg/bin/docker", true)]
    [InlineData("docker", false)]
    [InlineData("/usr/bin/docker; id", false)]
    [InlineData("/usr/bin/do cker", false)]
    [InlineData("/usr/bin/docker\n/bin/sh", false)]
    [InlineData("/a=b/docker", false)]
    public void IsClientPath_OnlyPlainAbsolutePaths(string path, bool expected) => Assert.Equal(expected, DockerBuilder.IsClientPath(path));
}
