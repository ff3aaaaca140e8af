using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Infrastructure;
using Slipway.Infrastructure.Execution;

namespace Slipway.IntegrationTests.Execution;

public sealed class LocalExecutionTargetTests : IDisposable
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private readonly string _dataDir = Directory.CreateTempSubdirectory("slipway-local-target-").FullName;
    private readonly LocalExecutionTarget _target;

    public LocalExecutionTargetTests()
    {
        _target = new LocalExecutionTarget(new LocalCommandRunner(NullLogger<LocalCommandRunner>.Instance), new SlipwayDataOptions { DataDir = _dataDir });
    }

    [Fact]
    public void WorkRoot_IsWorkUnderTheDataDirectory()
    {
        Assert.Equal(Path.Combine(_dataDir, "work"), _target.WorkRoot);
        Assert.Equal("localhost", _target.Description);
    }

    [Fact]
    public async Task WritePrivateFileAsync_NewFile_IsOwnerReadWriteOnly()
    {
        var path = Path.Combine(_dataDir, "build.env");

        await _target.WritePrivateFileAsync(path, "SECRET=1\n", Token);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal("SECRET=1\n", await File.ReadAllTextAsync(path, Token));
        Assert.Single(Directory.GetFiles(_dataDir));
    }

    [Fact]
    public async Task WritePrivateFileAsync_ExistingWorldReadableFile_IsReplacedWith0600()
    {
        var path = Path.Combine(_dataDir, "build.env");
        await File.WriteAllTextAsync(path, "old content that is much longer than the new one", Token);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await _target.WritePrivateFileAsync(path, "new", Token);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal("new", await File.ReadAllTextAsync(path, Token));
    }

    [Fact]
    public async Task CreateAndDeleteDirectoryAsync_WorkRecursively()
    {
        var root = Path.Combine(_target.WorkRoot, "app", "deployment-1");

        await _target.CreateDirectoryAsync(Path.Combine(root, "src", "nested"), Token);
        await File.WriteAllTextAsync(Path.Combine(root, "src", "nested", "file"), "x", Token);
        await _target.DeleteDirectoryAsync(root, Token);
        await _target.DeleteDirectoryAsync(root, Token);

        Assert.False(Directory.Exists(root));
        Assert.True(Directory.Exists(Path.Combine(_target.WorkRoot, "app")));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("/")]
    [InlineData("//")]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("..")]
    [InlineData("~")]
    [InlineData("work/../..")]
    [InlineData("/srv/../etc")]
    [InlineData("a/../b")]
    public async Task DeleteDirectoryAsync_DangerousPath_IsRefused(string path)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _target.DeleteDirectoryAsync(path, Token));
    }

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);
}
