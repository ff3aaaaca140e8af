using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Features.Deployments;
using Slipway.Api.Features.Proxy;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;

namespace Slipway.Api.Features.Applications;

/// <summary><c>PATCH /applications/{uuid}</c>: validates every field sent and changes only those.</summary>
internal static class ApplicationUpdate
{
    // Seven answers: Results<> takes six, so the two refusals of a permitted caller (403 without deploy, 429 for a full queue) are one nested union.
    public static async Task<Results<Ok<CreatedApplicationResponse>, NotFound<ErrorResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>, Conflict<DomainConflictResponse>, Results<TooManyRequestsError, ForbiddenError>>> UpdateAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var teamId = http.Caller().TeamId;
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, teamId, cancellationToken, tracked: true);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var body = await WireBody<ApplicationDraft>.ReadAsync(http.Request, ApplicationRequests.Update, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        // Refused whole, before any field changes: instant_deploy needs deploy on top of the route's write.
        if (body.Flag(ApplicationTable.InstantDeploy) == true && await http.RefuseWithoutAsync(ApiAbility.Deploy) is { } refused)
        {
            return (Results<TooManyRequestsError, ForbiddenError>)refused;
        }

        var currentServer = body.Has(ApplicationTable.DestinationUuid)
            ? await s.Db.Servers.AsNoTracking().Where(x => x.Id == application.ServerId).Select(x => x.Uuid).FirstAsync(cancellationToken)
            : null;
        var placement = await ApplicationPlacement.ResolveAsync(s.Db, teamId, body, required: false, cancellationToken, currentServer);
        if (placement.Invalid is { } invalid)
        {
            return invalid;
        }

        if (placement.Missing is { } missing)
        {
            return missing;
        }

        var errors = new ValidationErrors();
        var routingBefore = RoutingState(application);
        var serverBefore = application.ServerId;
        body.Apply(new ApplicationDraft(application, s.Protector, s.Settings.AllowLocalRepositories), errors);
        if (body.Has(ApplicationTable.PrivateKeyUuid))
        {
            application.PrivateKeyId = await ResolveKeyAsync(s, body.Text(ApplicationTable.PrivateKeyUuid), teamId, errors, cancellationToken);
        }

        CheckConsistency(application, errors);
        if (body.Has(ApplicationTable.CustomDockerRunOptions) || placement.Server is not null)
        {
            // The server the application will be on: the one named in the request, else its own.
            var server = placement.Server ?? await s.Db.Servers.AsNoTracking().FirstAsync(x => x.Id == application.ServerId, cancellationToken);
            ApplicationNetwork.Check(application, server, errors);
        }

        ApplicationTable.CheckBasicAuth(application, errors);
        ApplicationTable.CheckRuntime(application, errors);
        ApplicationTable.CheckStatic(application, errors);
        if (body.Has(ApplicationTable.CustomInternalName) || placement.Server is not null)
        {
            await ApplicationContainerName.CheckUniqueAsync(s.Db, application, placement.Server?.Id ?? application.ServerId, errors, cancellationToken);
        }

        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        if (placement.Environment is not null)
        {
            application.EnvironmentId = placement.Environment.Id;
        }

        if (placement.Server is not null)
        {
            application.ServerId = placement.Server.Id;
        }

        var changedServers = new HashSet<long> { serverBefore, application.ServerId };
        var ownServers = changedServers.Count;
        var force = body.Flag(ApplicationTable.ForceDomainOverride) == true;
        if (body.Has(ApplicationTable.Domains)
            && await ApplicationDomains.ClaimAsync(s.Db, application, force, changedServers, ApplicationCreation.Logger(s), cancellationToken) is { } conflict)
        {
            return conflict;
        }

        application.UpdatedAt = Timestamps.Now(s.Clock);
        await s.Db.SaveChangesAsync(cancellationToken);
        if (RoutingState(application) != routingBefore || changedServers.Count > ownServers || serverBefore != application.ServerId)
        {
            await ProxyTriggers.RoutingChangedAsync(s.Db, s.Proxies, changedServers, cancellationToken);
        }

        string? deploymentUuid = null;
        if (body.Flag(ApplicationTable.InstantDeploy) == true)
        {
            var target = await DeploymentTargets.LoadAsync(s.Db, application, cancellationToken);
            var queued = await s.Queue.EnqueueAsync(target, new DeploymentRequest { IsApi = true }, cancellationToken);
            if (queued.Outcome == EnqueueOutcome.QueueFull)
            {
                return (Results<TooManyRequestsError, ForbiddenError>)DeployEndpoints.QueueFull();
            }

            deploymentUuid = queued.Deployment?.Uuid;
        }

        return ApiResults.Ok(new CreatedApplicationResponse(application.Uuid, deploymentUuid));
    }

    /// <summary>Everything of an application that its routes are rendered from.</summary>
    private static string RoutingState(Application a) => string.Join('|',
        a.Fqdn, a.Redirect, a.IsForceHttpsEnabled, a.IsGzipEnabled, a.IsStripprefixEnabled, a.IsHttpBasicAuthEnabled, a.HttpBasicAuthUsername,
        a.HttpBasicAuthPasswordHash, a.PortsExposes, a.PortsMappings, a.CustomDockerRunOptions, a.NoindexDomains);

    private static async Task<long?> ResolveKeyAsync(ApplicationServices s, string? keyUuid, long teamId, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(keyUuid))
        {
            return null;
        }

        var key = PublicId.IsPlausible(keyUuid)
            ? await s.Db.PrivateKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Uuid == keyUuid && k.TeamId == teamId, cancellationToken)
            : null;
        if (key is null)
        {
            errors.Add(ApplicationTable.PrivateKeyUuid.Name, "Private key not found.");
        }

        return key?.Id;
    }

    /// <summary>A PATCH may change the build pack; the result must still have what that build pack needs.</summary>
    private static void CheckConsistency(Application application, ValidationErrors errors)
    {
        switch (application.BuildPack)
        {
            case BuildPack.DockerImage when string.IsNullOrEmpty(application.DockerRegistryImageName):
                errors.Add(ApplicationTable.DockerRegistryImageName.Name, $"A dockerimage application needs {ApplicationTable.DockerRegistryImageName.Name}.");
                break;
            case BuildPack.Dockerfile or BuildPack.Static when string.IsNullOrEmpty(application.GitRepository) && string.IsNullOrEmpty(application.Dockerfile):
                errors.Add(ApplicationTable.GitRepository.Name, $"A {application.BuildPack} application needs {ApplicationTable.GitRepository.Name} (or an inline dockerfile).");
                break;
        }
    }
}
