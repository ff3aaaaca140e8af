using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Features.Deployments;
using Slipway.Api.Features.Proxy;
using Slipway.Api.Http;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Deployments;

namespace Slipway.Api.Features.Applications;

/// <summary><c>PATCH /applications/{uuid}</c>: validates every field sent and changes only those.</summary>
internal static class ApplicationUpdate
{
    public static async Task<IResult> UpdateAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var teamId = http.Caller().TeamId;
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, teamId, cancellationToken, tracked: true);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var body = await JsonBody.ReadAsync<UpdateApplicationRequest>(http.Request, UnsupportedApplicationFields.All, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var r = body.Value!;
        var placement = await ApplicationPlacement.ResolveAsync(
            s.Db, teamId, r.ProjectUuid, r.EnvironmentName, r.EnvironmentUuid, r.ServerUuid, required: false, cancellationToken);
        if (placement.Failure is not null)
        {
            return placement.Failure;
        }

        var errors = new ValidationErrors();
        var fields = new ApplicationFields(application, body.Present, errors);
        var routingBefore = RoutingState(application);
        var serverBefore = application.ServerId;
        fields.ApplySettings(r, s.Protector);
        fields.ApplyRouting(r);
        fields.ApplyGit(r.GitRepository, r.GitBranch, r.GitCommitSha, r.BaseDirectory, r.DockerfileLocation, r.StaticImage,
            r.WatchPaths, r.IsAutoDeployEnabled, r.IsGitSubmodulesEnabled, r.IsGitShallowCloneEnabled, s.Settings);
        fields.ApplyBuildPack(r.BuildPack, BuildPack.All);
        fields.ApplyStaticServer(r.StaticServer);
        fields.ApplyInlineDockerfile(r.Dockerfile);
        fields.ApplyImage(r.DockerRegistryImageName, r.DockerRegistryImageTag);
        fields.ApplyDisableBuildCache(r.DisableBuildCache);
        if (body.Has("private_key_uuid"))
        {
            application.PrivateKeyId = await ResolveKeyAsync(s, r.PrivateKeyUuid, teamId, errors, cancellationToken);
        }

        CheckConsistency(application, errors);
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
        if (body.Has("domains")
            && await ApplicationDomains.ClaimAsync(s.Db, application, r.ForceDomainOverride == true, changedServers, ApplicationCreation.Logger(s), cancellationToken) is { } conflict)
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
        if (r.InstantDeploy == true)
        {
            var target = await DeploymentTargets.LoadAsync(s.Db, application, cancellationToken);
            var queued = await s.Queue.EnqueueAsync(target, new DeploymentRequest { IsApi = true }, cancellationToken);
            if (queued.Outcome == EnqueueOutcome.QueueFull)
            {
                return DeployEndpoints.QueueFull(http);
            }

            deploymentUuid = queued.Deployment?.Uuid;
        }

        return ApiResults.Ok(new CreatedApplicationResponse(application.Uuid, deploymentUuid));
    }

    /// <summary>Everything of an application that its routes are rendered from.</summary>
    private static string RoutingState(Application a) => string.Join('|',
        a.Fqdn, a.Redirect, a.IsForceHttpsEnabled, a.IsGzipEnabled, a.IsStripprefixEnabled, a.IsHttpBasicAuthEnabled, a.HttpBasicAuthUsername,
        a.HttpBasicAuthPasswordHash, a.PortsExposes, a.PortsMappings, a.CustomDockerRunOptions);

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
            errors.Add("private_key_uuid", "Private key not found.");
        }

        return key?.Id;
    }

    /// <summary>A PATCH may change the build pack; the result must still have what that build pack needs.</summary>
    private static void CheckConsistency(Application application, ValidationErrors errors)
    {
        switch (application.BuildPack)
        {
            case BuildPack.DockerImage when string.IsNullOrEmpty(application.DockerRegistryImageName):
                errors.Add("docker_registry_image_name", "A dockerimage application needs docker_registry_image_name.");
                break;
            case BuildPack.Dockerfile or BuildPack.Static when string.IsNullOrEmpty(application.GitRepository) && string.IsNullOrEmpty(application.Dockerfile):
                errors.Add("git_repository", $"A {application.BuildPack} application needs git_repository (or an inline dockerfile).");
                break;
        }
    }
}
