using System.Security.Cryptography;
using System.Text;
using Slipway.Core.Applications;
using Slipway.Core.Commands;
using Slipway.Core.Execution;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// Builds <c>{application uuid}:{commit}</c>: from the repository's Dockerfile, from a generated one (static
/// sites), or from an inline Dockerfile. An image for the same commit whose build settings are unchanged is
/// reused; <c>force_rebuild</c> (or <c>disable_build_cache</c>) builds without cache. The image's build hash is
/// looked up as soon as the commit is known, alongside the clone.
/// </summary>
public sealed class BuildImageStep : IDeploymentStep
{
    private (string Image, Task<CommandResult> Result)? _lookup;

    public string Title => "Building image";

    public void StartAhead(DeploymentContext context, CancellationToken cancellationToken)
    {
        if (_lookup is not null || Forced(context) || (context.Application.GitRepository is not null && context.Commit == "HEAD"))
        {
            return;
        }

        var image = ImageName(context, BuildHash(context.Application, context.Port, BuildArguments(context)));
        _lookup = (image, context.RunAheadAsync(DockerCommands.ImageBuildHash(image), cancellationToken));
    }

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

        if (buildArguments.Count > 0)
        {
            await context.Log.InfoAsync($"Build arguments: {string.Join(", ", buildArguments.Keys.Order(StringComparer.Ordinal))}.");
        }

        var probe = await DockerBuilder.EnsureProbedAsync(context, cancellationToken);
        var (network, reason) = DockerBuilder.Network(context.Deployment.PullRequestId != 0, context.Server.AllowHostNetwork, probe.DefaultBridge);
        await context.Log.InfoAsync($"Builder: {probe.Builder}. Build network: {network ?? "Docker's default"} ({reason}).");
        var build = new ImageBuild(image, dockerfile, buildContext, buildArguments, labels, forced)
        {
            Client = probe.ClientPath,
            BuildKit = probe.BuildKit,
            Network = network,
        };
        await context.RunAsync(DockerCommands.Build(build), cancellationToken);
    }

    private static bool Forced(DeploymentContext context) => context.Deployment.ForceRebuild || context.Application.DisableBuildCache;

    private static Dictionary<string, string> BuildArguments(DeploymentContext context) =>
        context.Work.Variables.Where(v => v.IsBuildtime).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);

    /// <summary>The image tag: the commit for git builds, a hash of the Dockerfile for inline ones (previews in their own repository).</summary>
    private static string ImageName(DeploymentContext context, string hash) =>
        context.Application.GitRepository is null
            ? $"{context.ImageRepository}:dockerfile-{hash[..12]}"
            : $"{context.ImageRepository}:{context.Commit}";

    private async Task<bool> HasSameBuildAsync(DeploymentContext context, string image, string hash, CancellationToken cancellationToken)
    {
        var result = _lookup is { } ahead && ahead.Image == image
            ? await ahead.Result
            : await context.RunAsync(DockerCommands.ImageBuildHash(image), cancellationToken, throwOnFailure: false, quiet: true);
        if (!result.Succeeded)
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
            var content = StaticServer.Dockerfile(app.StaticServer, app.StaticImage, context.Port, labels);
            await context.Target.WritePrivateFileAsync(generated, content, cancellationToken);
            await context.Log.InfoAsync($"Generated a Dockerfile serving the files with {app.StaticServer} on {app.StaticImage}, port {context.Port}.");
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
            .Append("static=").Append(app.StaticImage).Append('|').Append(app.StaticServer).Append('|').Append(port).Append('\n');
        foreach (var (key, value) in buildArguments.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            text.Append("arg=").Append(key).Append('=').Append(value).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
