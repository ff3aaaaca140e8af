namespace Slipway.IntegrationTests.Fixtures;

/// <summary>Repositories and images the engine tests deploy, all built on the local busybox test image.</summary>
internal static class TestApps
{
    /// <summary>
    /// A Dockerfile app: the build-time <c>GREETING</c> and <c>SECRET_TOKEN</c> arguments are echoed by the build
    /// (so the log must redact the secret) and baked into <c>/www/greeting.txt</c>; at run time the container
    /// writes its runtime <c>SECRET_TOKEN</c> and <c>PORT</c> into files and serves <c>/www</c> on <c>PORT</c>.
    /// </summary>
    public const string EchoingDockerfile = """
        FROM slipway-test/busybox:latest
        ARG GREETING
        ARG SECRET_TOKEN
        RUN echo "build greeting: $GREETING" && echo "build secret: $SECRET_TOKEN" && mkdir -p /www && echo "$GREETING" > /www/greeting.txt
        CMD ["sh", "-c", "echo \"$SECRET_TOKEN\" > /www/secret.txt; echo \"$PORT\" > /www/port.txt; exec httpd -f -p \"$PORT\" -h /www"]
        """;

    /// <summary>A Dockerfile whose build takes <paramref name="seconds"/> in a <c>sleep</c> step, then serves on <c>PORT</c>.</summary>
    public static string SlowDockerfile(int seconds, string marker = "slow") => $"""
        FROM slipway-test/busybox:latest
        RUN echo "{marker}: build started" && sleep {seconds} && mkdir -p /www && echo "{marker}" > /www/index.html
        CMD ["sh", "-c", "exec httpd -f -p \"$PORT\" -h /www"]
        """;

    /// <summary>A repository holding <paramref name="dockerfile"/> as <c>/Dockerfile</c>, committed once.</summary>
    public static async Task<GitRepository> DockerfileRepositoryAsync(string dockerfile)
    {
        var repository = await GitRepository.CreateAsync();
        await repository.Write("Dockerfile", dockerfile).CommitAsync("Dockerfile app");
        return repository;
    }

    /// <summary>
    /// Builds <paramref name="image"/><c>:latest</c>, whose CMD serves busybox httpd on <c>$PORT</c>: an image for
    /// the <c>dockerimage</c> build pack, so deployments of it need no clone and no build. The caller removes it.
    /// </summary>
    public static async Task<string> HttpdImageAsync(string image)
    {
        var directory = Directory.CreateTempSubdirectory("slipway-httpd-image-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "Dockerfile"), """
                FROM slipway-test/busybox:latest
                RUN mkdir -p /www && echo ok > /www/index.html
                CMD ["sh", "-c", "exec httpd -f -p \"$PORT\" -h /www"]
                """);
            var (code, output) = await Docker.BuildAsync(directory, image + ":latest");
            Assert.True(code == 0, $"Building {image} failed: {output}");
            return image;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
