using Slipway.Core.Execution;
using Slipway.IntegrationTests.Fixtures;

namespace Slipway.IntegrationTests.Execution;

public sealed class SshExecutionTargetTests(SshClassFixture fixture) : IClassFixture<SshClassFixture>, IDisposable
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private readonly string _localDirectory = Directory.CreateTempSubdirectory("slipway-sftp-").FullName;

    private IExecutionTarget Target => fixture.Ssh.Target;

    [Fact]
    public void WorkRoot_IsRelativeToTheLoginHome()
    {
        Assert.Equal(".slipway/work", Target.WorkRoot);
        Assert.Equal($"{fixture.Ssh.Ssh.User}@{fixture.Ssh.Ssh.Host}:{fixture.Ssh.Ssh.Port}", Target.Description);
    }

    [Fact]
    public async Task WritePrivateFileAsync_ViaSftp_IsMode0600WithTheContent()
    {
        var path = Path.Combine(_localDirectory, "build.env");
        var content = "TOKEN=s3cr3t 'quoted' ünïcode\nSECOND=2\n";

        await Target.WritePrivateFileAsync(path, content, Token);

        Assert.Equal("600", (await Target.Runner.RunAsync(CommandSpec.Of("stat", "-c", "%a", path), cancellationToken: Token)).Output);
        Assert.Equal(content, await File.ReadAllTextAsync(path, Token));
    }

    [Fact]
    public async Task WritePrivateFileAsync_ExistingWorldReadableFile_BecomesPrivateWithOnlyTheNewContent()
    {
        var path = Path.Combine(_localDirectory, "existing.env");
        await File.WriteAllTextAsync(path, "OLD CONTENT THAT IS LONGER THAN THE NEW ONE", Token);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await Target.WritePrivateFileAsync(path, "NEW", Token);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal("NEW", await File.ReadAllTextAsync(path, Token));
    }

    [Fact]
    public async Task Directories_RelativeToHome_AreCreatedWrittenAndDeletedRecursively()
    {
        var root = $".slipway/test-{Guid.NewGuid():N}";
        var nested = $"{root}/a b/'quoted' $(id)";

        try
        {
            await Target.CreateDirectoryAsync(nested, Token);
            await Target.WritePrivateFileAsync($"{nested}/secret.env", "X=1", Token);
            var read = await Target.Runner.RunAsync(CommandSpec.Of("cat", $"{nested}/secret.env"), cancellationToken: Token);
            await Target.DeleteDirectoryAsync(root, Token);
            await Target.DeleteDirectoryAsync(root, Token);
            var exists = await Target.Runner.RunAsync(CommandSpec.Of("test", "-e", root), throwOnFailure: false, cancellationToken: Token);

            Assert.Equal("X=1", read.Output);
            Assert.Equal(1, exists.ExitCode);
        }
        finally
        {
            await Target.Runner.RunAsync(CommandSpec.Of("rm", "-rf", "--", root), throwOnFailure: false, cancellationToken: CancellationToken.None);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("./")]
    [InlineData(".slipway/work/../..")]
    [InlineData("../etc")]
    public async Task DeleteDirectoryAsync_DangerousPath_IsRefusedBeforeAnythingRuns(string path)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Target.DeleteDirectoryAsync(path, Token));
    }

    public void Dispose() => Directory.Delete(_localDirectory, recursive: true);
}
