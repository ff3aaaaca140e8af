using System.Text.Json;
using Slipway.Core.Applications;
using Slipway.Core.Settings;
using Slipway.Core.Validation;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// Checks every stored value against the same allow-lists the API uses, before any command runs: a row written
/// by an older version, edited in the database or imported, must not reach git, docker or a shell unchecked.
/// </summary>
public sealed class CheckSettingsStep(InstanceSettings settings) : IDeploymentStep
{
    public string Title => "Checking settings";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var problems = Check(context.Application, context.Deployment.Commit, settings)
            .Concat(CheckServer(context.Application, context.Server))
            .Concat(CheckVariableNames(context.Work.Variables.Select(v => v.Key)))
            .Concat(CheckBuildVariableNames(context.Work.Variables.Where(v => v.IsBuildtime).Select(v => v.Key))).ToList();
        if (context.Deployment.PullRequestId != 0)
        {
            problems.AddRange(CheckPreview(context.Deployment.PullRequestId, context.Work.Preview));
            problems.AddRange(CheckPreviewVariables(context.Work.Variables));
            if (context.Work.LockedLeftOut.Count > 0)
            {
                await context.Log.InfoAsync(
                    $"Locked variables are never given to previews; left out: {string.Join(", ", context.Work.LockedLeftOut.Order(StringComparer.Ordinal))}.");
            }
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await context.Log.ErrorAsync(problem);
            }

            throw new DeploymentFailedException($"The application's settings are not valid ({problems.Count} problem(s)); nothing was run.");
        }

        // Parsed for certain: Check() above refused the run when they do not parse.
        context.RunOptions = DockerRunOptions.TryParse(context.Application.CustomDockerRunOptions, out var options, out _) ? options : [];
    }

    /// <summary>A pull request deployment needs its preview (a closed PR's queued deployment must not resurrect it).</summary>
    public static IEnumerable<string> CheckPreview(int pullRequestId, PreviewTarget? preview)
    {
        if (preview is null)
        {
            yield return $"The preview of pull request #{pullRequestId} no longer exists (the pull request was closed).";
            yield break;
        }

        if (preview.SourceRef is not null && GitRules.CheckCommit(preview.SourceRef) is { } refProblem)
        {
            yield return $"The preview's source ref is not valid: {refProblem}";
        }

        if (preview.Port is < 1 or > 65535)
        {
            yield return $"The preview's port {preview.Port} is not a valid port.";
        }
    }

    /// <summary>
    /// Rules that depend on the server: <c>--network host</c> only where the server allows host networking,
    /// <c>--network bridge</c> only where its Docker has a default bridge (when probed), and a
    /// recorded docker client that is a plain absolute path (it becomes the program of every build).
    /// </summary>
    public static IEnumerable<string> CheckServer(Application a, Servers.Server server)
    {
        if (DockerRunOptions.CheckHostNetwork(a.CustomDockerRunOptions, server.AllowHostNetwork) is { } problem)
        {
            yield return $"{problem} Server {server.Name} does not allow it.";
        }

        if (DockerRunOptions.CheckBridgeNetwork(a.CustomDockerRunOptions, server.DockerDefaultBridge) is { } bridge)
        {
            yield return $"{bridge} Server {server.Name} has none.";
        }

        if (server.DockerClientPath is { } client && !DockerBuilder.IsClientPath(client))
        {
            yield return $"The docker client recorded for server {server.Name} ({JsonSerializer.Serialize(client)}) is not a plain absolute path; validate the server to probe its Docker again.";
        }
    }

    /// <summary>Build-time values reach the docker client's environment: names it (or git, ssh, the loader) reads are refused.</summary>
    public static IEnumerable<string> CheckBuildVariableNames(IEnumerable<string> names) =>
        names.Select(BuildVariableRules.CheckBuildName).OfType<string>();

    /// <summary>A preview gets only its own (<c>is_preview</c>) variables, never production's, and never a locked value.</summary>
    public static IEnumerable<string> CheckPreviewVariables(IEnumerable<ResolvedVariable> variables) =>
        variables.Where(v => !v.IsPreview).Select(v => $"The production variable {JsonSerializer.Serialize(v.Key)} was offered to a preview; previews get only is_preview variables.")
            .Concat(variables.Where(v => v.IsPreview && v.IsSecret).Select(v => $"The locked variable {JsonSerializer.Serialize(v.Key)} was offered to a preview; previews never get locked values."));

    /// <summary>Variable names become build arguments and environment names (exported over SSH): they need the API's check too.</summary>
    public static IEnumerable<string> CheckVariableNames(IEnumerable<string> names) =>
        names.Where(n => TextRules.CheckEnvKey(n) is not null)
            .Select(n => $"The environment variable name {JsonSerializer.Serialize(n)} is not valid: {TextRules.CheckEnvKey(n)}");

    public static IEnumerable<string> Check(Application a, string commit, InstanceSettings settings)
    {
        var checks = new List<string?>();
        if (a.BuildPack is BuildPack.Dockerfile or BuildPack.Static && a.GitRepository is not null)
        {
            checks.Add(RepositoryRules.Check(a.GitRepository, settings.AllowLocalRepositories));
            checks.Add(RepositoryRules.CheckPinnedHostKeys(a.GitHostKeys));
            checks.Add(GitRules.CheckBranch(a.GitBranch));
            checks.Add(GitRules.CheckCommit(commit));
            checks.Add(GitRules.CheckCommit(a.GitCommitSha));
            checks.Add(PathRules.Check(a.BaseDirectory, "base_directory"));
            checks.Add(PathRules.Check(a.DockerfileLocation, "dockerfile_location"));
        }

        if (a.BuildPack == BuildPack.DockerImage)
        {
            checks.Add(DockerImageRules.CheckName(a.DockerRegistryImageName));
            checks.Add(DockerImageRules.CheckTag(a.DockerRegistryImageTag ?? "latest"));
        }

        if (!BuildPack.IsSupported(a.BuildPack))
        {
            checks.Add($"Unsupported build pack '{a.BuildPack}'.");
        }

        if (a.BuildPack == BuildPack.Static)
        {
            checks.Add(DockerImageRules.CheckReference(a.StaticImage));
        }

        checks.Add(PortRules.CheckExposes(a.PortsExposes));
        checks.Add(PortRules.CheckMappings(a.PortsMappings));
        checks.Add(DomainRules.Check(a.Fqdn));
        checks.Add(HealthCheckRules.CheckPath(a.HealthCheckPath));
        checks.Add(HealthCheckRules.CheckHost(a.HealthCheckHost));
        checks.Add(HealthCheckRules.CheckMethod(a.HealthCheckMethod));
        checks.Add(HealthCheckRules.CheckScheme(a.HealthCheckScheme));
        checks.Add(HealthCheckRules.CheckReturnCode(a.HealthCheckReturnCode));
        checks.Add(a.HealthCheckPort is null ? null : PortRules.CheckPort(a.HealthCheckPort, "health_check_port"));
        checks.Add(DockerRunOptions.TryParse(a.CustomDockerRunOptions, out _, out var optionsError) ? null : optionsError);
        checks.AddRange(CheckRuntime(a));
        return checks.OfType<string>();
    }

    /// <summary>The command health check, limits, restart policy, labels, container name and networks (issue 14).</summary>
    public static IEnumerable<string?> CheckRuntime(Application a)
    {
        yield return HealthCheckRules.CheckType(a.HealthCheckType);
        yield return HealthCheckRules.CheckCommand(a.HealthCheckCommand);
        yield return HealthCheckRules.CheckCommandPresent(a.HealthCheckEnabled, a.HealthCheckType, a.HealthCheckCommand);
        yield return RuntimeRules.CheckSize(a.LimitsMemory, "limits_memory");
        yield return RuntimeRules.CheckSwap(a.LimitsMemorySwap);
        yield return RuntimeRules.CheckSize(a.LimitsMemoryReservation, "limits_memory_reservation");
        yield return RuntimeRules.CheckSwappiness(a.LimitsMemorySwappiness);
        yield return RuntimeRules.CheckCpuset(a.LimitsCpuset);
        yield return RuntimeRules.CheckCpuShares(a.LimitsCpuShares);
        yield return RuntimeRules.CheckMaxRestartCount(a.MaxRestartCount);
        yield return ContainerLabelRules.Check(a.CustomLabels);
        yield return RuntimeRules.CheckContainerName(a.CustomInternalName);
        yield return RuntimeRules.CheckConnectToNetwork(a.ConnectToDockerNetwork, a.CustomDockerRunOptions);
        yield return BuildRules.CheckTarget(a.DockerfileTargetBuild);
        yield return a.PublishDirectory is null ? null : PathRules.Check(a.PublishDirectory, "publish_directory");
        yield return ReleaseCommandRules.CheckCommand(a.PreDeploymentCommand, "pre_deployment_command");
        yield return ReleaseCommandRules.CheckContainer(a.PreDeploymentCommandContainer, "pre_deployment_command_container");
        yield return ReleaseCommandRules.CheckCommand(a.PostDeploymentCommand, "post_deployment_command");
        yield return ReleaseCommandRules.CheckContainer(a.PostDeploymentCommandContainer, "post_deployment_command_container");
        foreach (var (_, message) in RuntimeRules.CheckMemoryLimits(a))
        {
            yield return message;
        }
    }
}
