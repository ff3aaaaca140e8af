using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Features.Previews;
using Slipway.Api.Features.Proxy;
using Slipway.Api.Features.Webhooks;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Applications;

public static class ApplicationsEndpoints
{
    public const string NotFoundMessage = "Application not found.";

    public static RouteGroupBuilder MapApplicationsEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/applications").WithTags("Applications");
        group.MapGet("", ListAsync).WithName("list-applications").WithSummary("The team's applications (optionally ?tag=).")
            .RequireAbility(ApiAbility.Read);
        group.MapPost("/public", ([AsParameters] ApplicationServices s, HttpContext http, CancellationToken ct) => ApplicationCreation.CreatePublicAsync(http, s, ct))
            .WithName("create-public-application").WithSummary("Create an application from a public git repository.").RequireAbility(ApiAbility.Write)
            .AcceptsFields(ApplicationRequests.CreatePublic);
        group.MapPost("/private-deploy-key", ([AsParameters] ApplicationServices s, HttpContext http, CancellationToken ct) => ApplicationCreation.CreateDeployKeyAsync(http, s, ct))
            .WithName("create-private-deploy-key-application").WithSummary("Create an application from a private repository cloned with a deploy key.")
            .RequireAbility(ApiAbility.Write).AcceptsFields(ApplicationRequests.CreateDeployKey);
        group.MapPost("/dockerfile", ([AsParameters] ApplicationServices s, HttpContext http, CancellationToken ct) => ApplicationCreation.CreateDockerfileAsync(http, s, ct))
            .WithName("create-dockerfile-application").WithSummary("Create an application from an inline Dockerfile.").RequireAbility(ApiAbility.Write)
            .AcceptsFields(ApplicationRequests.CreateDockerfile);
        group.MapPost("/dockerimage", ([AsParameters] ApplicationServices s, HttpContext http, CancellationToken ct) => ApplicationCreation.CreateDockerImageAsync(http, s, ct))
            .WithName("create-dockerimage-application").WithSummary("Create an application that runs an existing image.").RequireAbility(ApiAbility.Write)
            .AcceptsFields(ApplicationRequests.CreateDockerImage);
        group.MapGet("/{uuid}", GetAsync).WithName("get-application-by-uuid").WithSummary("Get an application.").RequireAbility(ApiAbility.Read);
        group.MapPatch("/{uuid}", ApplicationUpdate.UpdateAsync).WithName("update-application-by-uuid").WithSummary("Change an application's settings.")
            .RequireAbility(ApiAbility.Write).AcceptsFields(ApplicationRequests.Update);
        group.MapDelete("/{uuid}", DeleteAsync).WithName("delete-application-by-uuid").WithSummary("Delete an application and its deployments.")
            .RequireAbility(ApiAbility.Write);
        group.MapApplicationActions();
        group.MapEnvironmentVariables();
        group.MapApplicationTags();
        group.MapRollbackImages();
        group.MapPreviews();
        group.MapWebhookDeliveries();
        group.MapGitHostKey();
        return group;
    }

    /// <summary>The caller's application with this uuid, or null (unknown, implausible, or another team's).</summary>
    internal static async Task<Application?> FindAsync(SlipwayDbContext db, string uuid, long teamId, CancellationToken cancellationToken, bool tracked = false)
    {
        if (!PublicId.IsPlausible(uuid))
        {
            return null;
        }

        var query = tracked ? db.Applications : db.Applications.AsNoTracking();
        return await query.FirstOrDefaultAsync(a => a.Uuid == uuid && a.TeamId == teamId, cancellationToken);
    }

    private static async Task<Ok<List<ApplicationResponse>>> ListAsync(
        string? tag, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var teamId = http.Caller().TeamId;
        var query = s.Db.Applications.AsNoTracking().Where(a => a.TeamId == teamId);
        if (!string.IsNullOrEmpty(tag))
        {
            query = query.Where(a => a.Tags.Any(t => t.Tag!.Name == tag));
        }

        var applications = await query.OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var sensitive = http.CanReadSensitive();
        return ApiResults.Ok(applications.Select(a => ApplicationResponse.From(a, sensitive, s.Protector)).ToList());
    }

    private static async Task<Results<Ok<ApplicationResponse>, NotFound<ErrorResponse>>> GetAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var application = await FindAsync(s.Db, uuid, http.Caller().TeamId, cancellationToken);
        return application is null
            ? ApiResults.NotFound(NotFoundMessage)
            : ApiResults.Ok(ApplicationResponse.From(application, http.CanReadSensitive(), s.Protector));
    }

    private static async Task<Results<Ok<MessageResponse>, NotFound<ErrorResponse>>> DeleteAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        var application = await FindAsync(s.Db, uuid, caller.TeamId, cancellationToken, tracked: true);
        if (application is null)
        {
            return ApiResults.NotFound(NotFoundMessage);
        }

        // Stop what is queued or running first, so nothing builds for an application that no longer exists.
        var active = await s.Db.Deployments.AsNoTracking()
            .Where(d => d.ApplicationId == application.Id
                && (d.Status == Core.Deployments.DeploymentStatus.Queued || d.Status == Core.Deployments.DeploymentStatus.InProgress))
            .ToListAsync(cancellationToken);
        foreach (var deployment in active)
        {
            await s.Queue.CancelAsync(deployment, "Deployment cancelled: the application was deleted.", cancellationToken);
        }

        await s.Runtime.RemoveAsync(application, cancellationToken);
        s.Db.Applications.Remove(application);
        await s.Db.SaveChangesAsync(cancellationToken);
        await ProxyTriggers.RoutingChangedAsync(s.Db, s.Proxies, [application.ServerId], cancellationToken);
        return ApiResults.Message("Application deleted.");
    }
}
