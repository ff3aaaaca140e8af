using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Features.Deployments;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Deployments;

namespace Slipway.Api.Features.Applications;

/// <summary><c>PATCH /applications/{uuid}</c>: validates every field sent and changes only those.</summary>
internal static class ApplicationUpdate
{
    public static async Task<Results<Ok<CreatedApplicationResponse>, NotFound<ErrorResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>, TooManyRequestsError>> UpdateAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
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

        var placement = await ApplicationPlacement.ResolveAsync(s.Db, teamId, body, required: false, cancellationToken);
        if (placement.Invalid is { } invalid)
        {
            return invalid;
        }

        if (placement.Missing is { } missing)
        {
            return missing;
        }

        var errors = new ValidationErrors();
        body.Apply(new ApplicationDraft(application, s.Protector, s.Settings.AllowLocalRepositories), errors);
        if (body.Has(ApplicationTable.PrivateKeyUuid))
        {
            application.PrivateKeyId = await ResolveKeyAsync(s, body.Text(ApplicationTable.PrivateKeyUuid), teamId, errors, cancellationToken);
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

        application.UpdatedAt = Timestamps.Now(s.Clock);
        await s.Db.SaveChangesAsync(cancellationToken);

        string? deploymentUuid = null;
        if (body.Flag(ApplicationTable.InstantDeploy) == true)
        {
            var target = await DeploymentTargets.LoadAsync(s.Db, application, cancellationToken);
            var queued = await s.Queue.EnqueueAsync(target, new DeploymentRequest { IsApi = true }, cancellationToken);
            if (queued.Outcome == EnqueueOutcome.QueueFull)
            {
                return DeployEndpoints.QueueFull();
            }

            deploymentUuid = queued.Deployment?.Uuid;
        }

        return ApiResults.Ok(new CreatedApplicationResponse(application.Uuid, deploymentUuid));
    }

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
