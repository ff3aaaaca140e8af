using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Features.Deployments;
using Slipway.Api.Features.Proxy;
using Slipway.Api.Features.Tags;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Proxy;
using Slipway.Core.Secrets;
using Slipway.Core.Settings;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Applications;

/// <summary>The four ways to create an application, sharing one flow: read strictly, place, validate, store.</summary>
internal static class ApplicationCreation
{
    public static Task<Results<Created<CreatedApplicationResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>, NotFound<ErrorResponse>, ForbiddenError, Conflict<DomainConflictResponse>>> CreatePublicAsync(HttpContext http, ApplicationServices services, CancellationToken cancellationToken) =>
        CreateAsync(http, services, ApplicationRequests.CreatePublic, (body, _, errors) =>
        {
            RequirePorts(body, ApplicationTable.GitBuildPack, errors);
            return Task.CompletedTask;
        }, cancellationToken);

    public static Task<Results<Created<CreatedApplicationResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>, NotFound<ErrorResponse>, ForbiddenError, Conflict<DomainConflictResponse>>> CreateDeployKeyAsync(HttpContext http, ApplicationServices services, CancellationToken cancellationToken) =>
        CreateAsync(http, services, ApplicationRequests.CreateDeployKey, async (body, app, errors) =>
        {
            RequirePorts(body, ApplicationTable.GitBuildPack, errors);
            var keyUuid = body.Text(ApplicationTable.PrivateKeyUuid);
            if (string.IsNullOrEmpty(keyUuid))
            {
                return;
            }

            var teamId = http.Caller().TeamId;
            var key = PublicId.IsPlausible(keyUuid)
                ? await services.Db.PrivateKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Uuid == keyUuid && k.TeamId == teamId, cancellationToken)
                : null;
            if (key is null)
            {
                errors.Add(ApplicationTable.PrivateKeyUuid.Name, "Private key not found.");
                return;
            }

            app.PrivateKeyId = key.Id;
        }, cancellationToken);

    public static Task<Results<Created<CreatedApplicationResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>, NotFound<ErrorResponse>, ForbiddenError, Conflict<DomainConflictResponse>>> CreateDockerfileAsync(HttpContext http, ApplicationServices services, CancellationToken cancellationToken) =>
        CreateAsync(http, services, ApplicationRequests.CreateDockerfile, (_, _, _) => Task.CompletedTask, cancellationToken,
            app => app.BuildPack = BuildPack.Dockerfile);

    public static Task<Results<Created<CreatedApplicationResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>, NotFound<ErrorResponse>, ForbiddenError, Conflict<DomainConflictResponse>>> CreateDockerImageAsync(HttpContext http, ApplicationServices services, CancellationToken cancellationToken) =>
        CreateAsync(http, services, ApplicationRequests.CreateDockerImage, (_, _, _) => Task.CompletedTask, cancellationToken,
            app =>
            {
                app.BuildPack = BuildPack.DockerImage;
                app.DockerRegistryImageTag = "latest";
            });

    /// <summary>A git application serves on ports_exposes, except a static site (its web server's port is known).</summary>
    private static void RequirePorts(WireBody<ApplicationDraft> body, WireField<ApplicationDraft> buildPack, ValidationErrors errors)
    {
        if (body.Text(buildPack) != BuildPack.Static)
        {
            body.Require(ApplicationTable.PortsExposes, errors);
        }
    }

    private static async Task<Results<Created<CreatedApplicationResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>, NotFound<ErrorResponse>, ForbiddenError, Conflict<DomainConflictResponse>>> CreateAsync(
        HttpContext http,
        ApplicationServices services,
        WireFields<ApplicationDraft> fields,
        Func<WireBody<ApplicationDraft>, Application, ValidationErrors, Task> applyKind,
        CancellationToken cancellationToken,
        Action<Application>? defaults = null)
    {
        var body = await WireBody<ApplicationDraft>.ReadAsync(http.Request, fields, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        // Refused whole, before anything is stored: a write token cannot create what it then may not deploy.
        if (body.Flag(ApplicationTable.InstantDeploy) == true && await http.RefuseWithoutAsync(ApiAbility.Deploy) is { } refused)
        {
            return refused;
        }

        var teamId = http.Caller().TeamId;
        var db = services.Db;
        var placement = await ApplicationPlacement.ResolveAsync(db, teamId, body, required: true, cancellationToken);
        if (placement.Invalid is { } invalid)
        {
            return invalid;
        }

        if (placement.Missing is { } missing)
        {
            return missing;
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
        defaults?.Invoke(application);
        var errors = new ValidationErrors();
        body.Apply(new ApplicationDraft(application, services.Protector, services.Settings.AllowLocalRepositories), errors);
        await applyKind(body, application, errors);
        ApplicationNetwork.Check(application, placement.Server, errors);
        ApplicationTable.CheckBasicAuth(application, errors);
        ApplicationTable.CheckRuntime(application, errors);
        ApplicationTable.CheckStatic(application, errors);
        await ApplicationContainerName.CheckUniqueAsync(db, application, application.ServerId, errors, cancellationToken);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        if (string.IsNullOrWhiteSpace(application.Name))
        {
            application.Name = DefaultName(application);
        }

        ApplicationDomains.Autogenerate(application, placement.Server!, body.Flag(ApplicationTable.AutogenerateDomain));
        var changedServers = new HashSet<long> { application.ServerId };
        var force = body.Flag(ApplicationTable.ForceDomainOverride) == true;
        if (await ApplicationDomains.ClaimAsync(db, application, force, changedServers, Logger(services), cancellationToken) is { } conflict)
        {
            return conflict;
        }

        db.Applications.Add(application);
        if (body.Texts(ApplicationTable.Tags) is { Length: > 0 } tags)
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
        if (body.Flag(ApplicationTable.InstantDeploy) == true)
        {
            var target = await DeploymentTargets.LoadAsync(db, application, cancellationToken);
            var queued = await services.Queue.EnqueueAsync(target, ApplicationActions.Attributed(http, new DeploymentRequest { IsApi = true }), cancellationToken);
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
