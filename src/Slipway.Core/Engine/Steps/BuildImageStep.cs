using System.Security.Cryptography;
using System.Text;
using Slipway.Core.Applications;
using Slipway.Core.Commands;
using Slipway.Core.Execution;
using Slipway.Core.Validation;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// Builds <c>{application uuid}:{commit}</c>: from the repository's Dockerfile, from a generated one (static
/// sites), or from an inline Dockerfile. An image for the same commit whose build settings are unchanged is
/// reused; <c>force_rebuild</c> (or <c>disable_build_cache</c>) builds without cache. Whether the image exists at
/// all comes from the images the gather step listed, so a new commit costs no lookup here.
/// </summary>
public sealed class BuildImageStep : IDeploymentStep
{
    public string Title => "Building image";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var app = context.Application;
        var buildArguments = BuildArguments(context);
        var hash = BuildHash(app, context.Port, buildArguments);
        var image = ImageName(context, hash);
        context.Image = image;
        var forced = Forced(context);
        if (!forced && await HasSameBuildAsync(context, image, hash, cancellationToken))
        {
            await context.Log.InfoAsync($"No build configuration changed & image found ({image}) with the same Git Commit SHA. Build step skipped.");
            return;
        }

        var labels = new Dictionary<string, string>
        {
            [DockerCommands.ManagedLabel] = "true",
            [DockerCommands.ApplicationLabel] = app.Uuid,
            [DockerCommands.BuildHashLabel] = hash,
        };
        var (dockerfile, buildContext) = await PrepareAsync(context, labels, cancellationToken);
        if (app.BuildPack == BuildPack.Static && app.GitRepository is not null)
        {
            // The generated Dockerfile carries the labels in one cached instruction (see StaticServer); the commit
            // is the image's tag, so it is not a label there: a label per commit would be a step per build.
            labels.Clear();
        }
        else
        {
            labels[DockerCommands.CommitLabel] = context.Commit;
        }

        var probe = await DockerBuilder.EnsureProbedAsync(context, cancellationToken);
        var secrets = await SecretsAsync(context, buildArguments, probe.BuildKit);
        var passed = buildArguments.Where(a => !app.UseBuildSecrets || a.Key == SourceCommit || secrets.Contains(a.Key))
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        var arguments = passed.Keys.Where(k => !secrets.Contains(k)).ToList();
        if (arguments.Count > 0)
        {
            await context.Log.InfoAsync($"Build arguments: {string.Join(", ", arguments.Order(StringComparer.Ordinal))}.");
        }

        if (app.BuildPack == BuildPack.Dockerfile && app.InjectBuildArgsToDockerfile && arguments.Count > 0)
        {
            dockerfile = await InjectArgumentsAsync(context, dockerfile, arguments, cancellationToken);
        }

        var (network, reason) = DockerBuilder.Network(context.Deployment.PullRequestId != 0, context.Server.AllowHostNetwork, probe.DefaultBridge);
        await context.Log.InfoAsync($"Builder: {probe.Builder}. Build network: {network ?? "Docker's default"} ({reason}).");
        if (app.DockerfileTargetBuild is { Length: > 0 } target)
        {
            await context.Log.InfoAsync($"Building the Dockerfile's stage {target} (dockerfile_target_build).");
        }

        var build = new ImageBuild(image, dockerfile, buildContext, passed, labels, forced)
        {
            Client = probe.ClientPath,
            BuildKit = probe.BuildKit,
            Network = network,
            Target = string.IsNullOrEmpty(app.DockerfileTargetBuild) ? null : app.DockerfileTargetBuild,
            Secrets = secrets,
        };
        await context.RunAsync(DockerCommands.Build(build), cancellationToken);
    }

    /// <summary>The build argument <c>include_source_commit_in_build</c> adds.</summary>
    public const string SourceCommit = "SOURCE_COMMIT";

    /// <summary>
    /// <c>use_build_secrets</c>: the build-time variables become BuildKit secrets (their values only in the client's
    /// environment, never a build argument, so never in the image's history). Without BuildKit they are not passed at
    /// all, and the log says so: as build arguments they would be stored in the image.
    /// </summary>
    private static async Task<IReadOnlySet<string>> SecretsAsync(DeploymentContext context, IReadOnlyDictionary<string, string> buildArguments, bool buildKit)
    {
        var names = buildArguments.Keys.Where(k => k != SourceCommit).ToHashSet(StringComparer.Ordinal);
        if (!context.Application.UseBuildSecrets || names.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        var listed = string.Join(", ", names.Order(StringComparer.Ordinal));
        if (!buildKit)
        {
            await context.Log.ErrorAsync(
                $"use_build_secrets is on, but this server's Docker builds without BuildKit, which has no build secrets: the build-time variables ({listed}) are NOT passed to the build "
                + "(as build arguments they would be stored in the image's history). Install BuildKit (docker buildx) on the server to pass them as secrets.");
            return new HashSet<string>(StringComparer.Ordinal);
        }

        await context.Log.InfoAsync($"Build secrets (use_build_secrets; mount them with RUN --mount=type=secret,id=NAME, read /run/secrets/NAME): {listed}.");
        return names;
    }

    /// <summary>
    /// <c>inject_build_args_to_dockerfile</c>: a copy of the Dockerfile with <c>ARG NAME</c> after every <c>FROM</c>, in the work
    /// directory (the repository's file is left as it is), so every stage sees the build arguments without declaring them.
    /// </summary>
    private static async Task<string> InjectArgumentsAsync(DeploymentContext context, string dockerfile, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var read = await context.RunAsync(CommandSpec.Of("cat", "--", dockerfile), cancellationToken, throwOnFailure: false, quiet: true);
        if (!read.Succeeded)
        {
            throw new DeploymentFailedException($"The Dockerfile {dockerfile} could not be read.");
        }

        var injected = $"{context.WorkDir}/Dockerfile.slipway";
        await context.Target.WritePrivateFileAsync(injected, BuildRules.InjectArguments(read.Output, names) + "\n", cancellationToken);
        await context.Log.InfoAsync($"Declared the build arguments in every stage of the Dockerfile (inject_build_args_to_dockerfile): ARG {string.Join(", ARG ", names.Order(StringComparer.Ordinal))}.");
        return injected;
    }

    private static bool Forced(DeploymentContext context) => context.Deployment.ForceRebuild || context.Application.DisableBuildCache;

    private static Dictionary<string, string> BuildArguments(DeploymentContext context)
    {
        var arguments = context.Work.Variables.Where(v => v.IsBuildtime).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        if (context.Application.IncludeSourceCommitInBuild)
        {
            arguments[SourceCommit] = context.Commit;
        }

        return arguments;
    }

    /// <summary>The image tag: the commit for git builds, a hash of the Dockerfile for inline ones (previews in their own repository).</summary>
    private static string ImageName(DeploymentContext context, string hash) =>
        context.Application.GitRepository is null
            ? $"{context.ImageRepository}:dockerfile-{hash[..12]}"
            : $"{context.ImageRepository}:{context.Commit}";

    private static async Task<bool> HasSameBuildAsync(DeploymentContext context, string image, string hash, CancellationToken cancellationToken)
    {
        var listed = context.ImagesBefore.Any(i => $"{context.ImageRepository}:{i.Tag}" == image);
        var result = listed ? await context.RunAsync(DockerCommands.ImageBuildHash(image), cancellationToken, throwOnFailure: false, quiet: true) : null;
        if (result is not { Succeeded: true })
        {
            await context.Log.InfoAsync($"Image not found ({image}). Building new image.");
            return false;
        }

        if (result.Output.Trim() != hash)
        {
            await context.Log.InfoAsync("Build configuration changed. Rebuilding image.");
            return false;
        }

        return true;
    }

    private static async Task<(string Dockerfile, string Context)> PrepareAsync(
        DeploymentContext context, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var app = context.Application;
        if (app.GitRepository is null)
        {
            var dockerfile = $"{context.WorkDir}/Dockerfile.inline";
            var emptyContext = $"{context.WorkDir}/context";
            await context.Target.CreateDirectoryAsync(emptyContext, cancellationToken);
            await context.Target.WritePrivateFileAsync(dockerfile, app.Dockerfile ?? string.Empty, cancellationToken);
            return (dockerfile, emptyContext);
        }

        var source = context.SourceDir + app.BaseDirectory.TrimEnd('/');
        if (app.BuildPack == BuildPack.Static)
        {
            var generated = $"{context.WorkDir}/Dockerfile.static";
            var content = StaticServer.Dockerfile(app.StaticServer, app.StaticImage, context.Port, labels, app.PublishDirectory, app.IsSpa);
            await context.Target.WritePrivateFileAsync(generated, content, cancellationToken);
            var served = string.IsNullOrEmpty(app.PublishDirectory) || app.PublishDirectory == "/" ? "the files" : $"{app.PublishDirectory} (publish_directory)";
            await context.Log.InfoAsync($"Generated a Dockerfile serving {served} with {app.StaticServer} on {app.StaticImage}, port {context.Port}"
                + (app.IsSpa ? "; unknown paths answer index.html (is_spa)." : "."));
            return (generated, source);
        }

        return ($"{source}{app.DockerfileLocation}", source);
    }

    /// <summary>Everything that changes the image of a commit; stored as an image label and compared on the next deploy.</summary>
    public static string BuildHash(Application app, int port, IReadOnlyDictionary<string, string> buildArguments)
    {
        var text = new StringBuilder()
            .Append("pack=").Append(app.BuildPack).Append('\n')
            .Append("base=").Append(app.BaseDirectory).Append('\n')
            .Append("dockerfile=").Append(app.DockerfileLocation).Append('\n')
            .Append("inline=").Append(app.Dockerfile).Append('\n')
            .Append("static=").Append(app.StaticImage).Append('|').Append(app.StaticServer).Append('|').Append(port).Append('\n')
            .Append("target=").Append(app.DockerfileTargetBuild).Append('\n')
            .Append("publish=").Append(app.PublishDirectory).Append('|').Append(app.IsSpa).Append('\n')
            .Append("options=").Append(app.InjectBuildArgsToDockerfile).Append('|').Append(app.UseBuildSecrets).Append('\n');
        foreach (var (key, value) in buildArguments.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            text.Append("arg=").Append(key).Append('=').Append(value).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
