using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Features.Deployments;
using Slipway.Api.Features.Proxy;
using Slipway.Api.Features.Tags;
using Slipway.Api.Http;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Proxy;
using Slipway.Core.Secrets;
using Slipway.Core.Settings;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Applications;

/// <summary>The four ways to create an application, sharing one flow: read strictly, place, validate, store.</summary>
internal static class ApplicationCreation
{
    private static readonly IReadOnlyList<string> GitBuildPacks = [BuildPack.Dockerfile, BuildPack.Static];

    public static Task<IResult> CreatePublicAsync(HttpContext http, ApplicationServices services, CancellationToken cancellationToken) =>
        CreateAsync<CreateGitApplicationRequest>(http, services, (r, fields, _, errors) => ApplyGit(r, fields, errors, services.Settings), cancellationToken);

    public static Task<IResult> CreateDeployKeyAsync(HttpContext http, ApplicationServices services, CancellationToken cancellationToken) =>
        CreateAsync<CreateDeployKeyApplicationRequest>(http, services, async (r, fields, app, errors) =>
        {
            await ApplyGit(r, fields, errors, services.Settings);
            if (string.IsNullOrEmpty(r.PrivateKeyUuid))
            {
                errors.Add("private_key_uuid", "The private_key_uuid field is required.");
                return;
            }

            var teamId = http.Caller().TeamId;
            var key = PublicId.IsPlausible(r.PrivateKeyUuid)
                ? await services.Db.PrivateKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Uuid == r.PrivateKeyUuid && k.TeamId == teamId, cancellationToken)
                : null;
            if (key is null)
            {
                errors.Add("private_key_uuid", "Private key not found.");
                return;
            }

            app.PrivateKeyId = key.Id;
        }, cancellationToken);

    public static Task<IResult> CreateDockerfileAsync(HttpContext http, ApplicationServices services, CancellationToken cancellationToken) =>
        CreateAsync<CreateDockerfileApplicationRequest>(http, services, (r, fields, app, errors) =>
        {
            app.BuildPack = BuildPack.Dockerfile;
            fields.ApplyBuildPack(r.BuildPack, [BuildPack.Dockerfile]);
            fields.ApplyInlineDockerfile(r.Dockerfile);
            fields.ApplyDisableBuildCache(r.DisableBuildCache);
            RequireField(r.Dockerfile, "dockerfile", errors);
            RequireField(r.PortsExposes, "ports_exposes", errors);
            return Task.CompletedTask;
        }, cancellationToken);

    public static Task<IResult> CreateDockerImageAsync(HttpContext http, ApplicationServices services, CancellationToken cancellationToken) =>
        CreateAsync<CreateDockerImageApplicationRequest>(http, services, (r, fields, app, errors) =>
        {
            app.BuildPack = BuildPack.DockerImage;
            app.DockerRegistryImageTag = "latest";
            fields.ApplyImage(r.DockerRegistryImageName, r.DockerRegistryImageTag);
            RequireField(r.DockerRegistryImageName, "docker_registry_image_name", errors);
            RequireField(r.PortsExposes, "ports_exposes", errors);
            return Task.CompletedTask;
        }, cancellationToken);

    private static Task ApplyGit(CreateGitApplicationRequest r, ApplicationFields fields, ValidationErrors errors, InstanceSettings settings)
    {
        fields.ApplyGit(r.GitRepository, r.GitBranch, r.GitCommitSha, r.BaseDirectory, r.DockerfileLocation, r.StaticImage,
            r.WatchPaths, r.IsAutoDeployEnabled, r.IsGitSubmodulesEnabled, r.IsGitShallowCloneEnabled, settings);
        fields.ApplyBuildPack(r.BuildPack, GitBuildPacks);
        fields.ApplyStaticServer(r.StaticServer);
        fields.ApplyDisableBuildCache(r.DisableBuildCache);
        RequireField(r.GitRepository, "git_repository", errors);
        RequireField(r.GitBranch, "git_branch", errors);
        RequireField(r.BuildPack, "build_pack", errors);
        if (r.BuildPack != BuildPack.Static)
        {
            RequireField(r.PortsExposes, "ports_exposes", errors);
        }

        return Task.CompletedTask;
    }

    private static void RequireField(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(value) && !errors.Has(field))
        {
            errors.Add(field, $"The {field} field is required.");
        }
    }

    private static async Task<IResult> CreateAsync<TRequest>(
        HttpContext http,
        ApplicationServices services,
        Func<TRequest, ApplicationFields, Application, ValidationErrors, Task> applyKind,
        CancellationToken cancellationToken)
        where TRequest : ApplicationPlacementRequest, new()
    {
        var body = await JsonBody.ReadAsync<TRequest>(http.Request, UnsupportedApplicationFields.All, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var request = body.Value!;
        var teamId = http.Caller().TeamId;
        var db = services.Db;
        var placement = await ApplicationPlacement.ResolveAsync(
            db, teamId, request.ProjectUuid, request.EnvironmentName, request.EnvironmentUuid, request.ServerUuid, required: true, cancellationToken);
        if (placement.Failure is not null)
        {
            return placement.Failure;
        }

        var now = Timestamps.Now(services.Clock);
        var application = new Application
        {
            Uuid = PublicId.New(),
            TeamId = teamId,
            EnvironmentId = placement.Environment!.Id,
            ServerId = placement.Server!.Id,
            Name = string.Empty,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var errors = new ValidationErrors();
        var fields = new ApplicationFields(application, body.Present, errors);
        fields.ApplySettings(request, services.Protector);
        fields.ApplyRouting(request);
        await applyKind(request, fields, application, errors);
        foreach (var tag in request.Tags ?? [])
        {
            errors.AddIf("tags", TagNames.Check(tag));
        }

        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        if (string.IsNullOrWhiteSpace(application.Name))
        {
            application.Name = DefaultName(application);
        }

        ApplicationDomains.Autogenerate(application, placement.Server!, request.AutogenerateDomain);
        var changedServers = new HashSet<long> { application.ServerId };
        if (await ApplicationDomains.ClaimAsync(db, application, request.ForceDomainOverride == true, changedServers, Logger(services), cancellationToken) is { } conflict)
        {
            return conflict;
        }

        db.Applications.Add(application);
        if (request.Tags is { Length: > 0 } tags)
        {
            foreach (var tag in await TagNames.FindOrCreateAsync(db, teamId, tags, now, cancellationToken))
            {
                application.Tags.Add(new ApplicationTag { Tag = tag });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        if (application.Fqdn is not null || changedServers.Count > 1)
        {
            await ProxyTriggers.RoutingChangedAsync(db, services.Proxies, changedServers, cancellationToken);
        }

        string? deploymentUuid = null;
        if (request.InstantDeploy == true)
        {
            var target = await DeploymentTargets.LoadAsync(db, application, cancellationToken);
            var queued = await services.Queue.EnqueueAsync(target, new DeploymentRequest { IsApi = true }, cancellationToken);
            deploymentUuid = queued.Deployment?.Uuid;
        }

        return ApiResults.Created(new CreatedApplicationResponse(application.Uuid, deploymentUuid));
    }

    internal static ILogger Logger(ApplicationServices services) => services.Loggers.CreateLogger("Slipway.Api.Features.Applications.ApplicationDomains");

    /// <summary>Coolify names an unnamed application after its source; so does Slipway, plus a short suffix.</summary>
    private static string DefaultName(Application application)
    {
        var source = application.GitRepository ?? application.DockerRegistryImageName ?? "dockerfile";
        var last = source.TrimEnd('/').Split('/', ':').Last();
        if (last.EndsWith(".git", StringComparison.Ordinal))
        {
            last = last[..^4];
        }

        return $"{last}-{application.Uuid[..8]}";
    }
}

public sealed record CreatedApplicationResponse(
    string Uuid,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    string? DeploymentUuid);

/// <summary>What the application handlers need, injected as one record (eShop's <c>[AsParameters]</c> services).</summary>
internal sealed record ApplicationServices(
    SlipwayDbContext Db,
    DeploymentQueue Queue,
    ISecretProtector Protector,
    InstanceSettings Settings,
    IApplicationRuntime Runtime,
    IProxyService Proxies,
    ILoggerFactory Loggers,
    TimeProvider Clock);
