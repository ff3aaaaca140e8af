using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Previews;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Deployments;

/// <summary><c>POST /deploy</c>: queue deployments by application uuid(s) or tag(s), with Coolify's rules and messages.</summary>
public static class DeployEndpoints
{
    public static RouteGroupBuilder MapDeployEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/deploy", DeployAsync).WithName("deploy-by-tag-or-uuid").WithTags("Deployments")
            .WithSummary("Deploy by tag or uuid (query string or JSON body).").RequireAbility(ApiAbility.Deploy)
            .WithQueryParameters([.. DeployParameters.Names])
            .Produces<DeployByUuidResponse>().Produces<ErrorResponse>(StatusCodes.Status404NotFound).Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status413PayloadTooLarge).Produces<ValidationErrorResponse>(StatusCodes.Status422UnprocessableEntity)
            .Produces<ErrorResponse>(StatusCodes.Status429TooManyRequests)
            .AddOpenApiOperationTransformer(DeployAnswersAsync);
        api.MapGet("/deploy", PostRequired).WithName("deploy-get").WithTags("Deployments").ExcludeFromDescription()
            .RequireAbility(ApiAbility.Deploy);
        return api;
    }

    /// <summary>Coolify's answer to GET on an action that moved to POST (405 with <c>Allow: POST</c>).</summary>
    public static PostRequiredError PostRequired() => new();

    /// <summary>
    /// By uuid the answer lists each application (a 404 lists them too when a pull request had nothing to deploy),
    /// by tag it lists messages: one status, two shapes, which <c>Produces</c> cannot say.
    /// </summary>
    private static async Task DeployAnswersAsync(Microsoft.OpenApi.OpenApiOperation operation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var byUuid = await context.GetOrCreateSchemaAsync(typeof(DeployByUuidResponse), null, cancellationToken);
        var byTag = await context.GetOrCreateSchemaAsync(typeof(DeployByTagResponse), null, cancellationToken);
        var error = await context.GetOrCreateSchemaAsync(typeof(ErrorResponse), null, cancellationToken);
        operation.Responses!["200"].Content!["application/json"].Schema = new Microsoft.OpenApi.OpenApiSchema { OneOf = [byUuid, byTag] };
        operation.Responses["404"].Content!["application/json"].Schema = new Microsoft.OpenApi.OpenApiSchema { OneOf = [error, byUuid] };
    }

    /// <summary>A server's queue is full: 429 with <c>Retry-After</c>.</summary>
    public static TooManyRequestsError QueueFull() => new(EnqueueResult.QueueFullMessage);

    private static async Task<IResult> DeployAsync(HttpContext http, SlipwayDbContext db, DeploymentQueue queue, CancellationToken cancellationToken)
    {
        var (parameters, failure) = await DeployParameters.ReadAsync(http.Request, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var p = parameters!;
        var hasPr = p.PullRequestId != 0;
        if (p.Uuid is not null && p.Tag is not null)
        {
            return ApiResults.BadRequest("You can only use uuid or tag, not both.");
        }

        if (p.Tag is not null && hasPr)
        {
            return ApiResults.BadRequest("You can only use tag or pr, not both.");
        }

        if (p.DockerTag is not null && !hasPr)
        {
            return ApiResults.BadRequest("docker_tag requires pull_request_id.");
        }

        if (p.Tag is not null && p.DockerTag is not null)
        {
            return ApiResults.BadRequest("You can only use tag or docker_tag, not both.");
        }

        if (p.Uuid is null && p.Tag is null)
        {
            return ApiResults.BadRequest("You must provide uuid or tag.");
        }

        var teamId = http.Caller().TeamId;
        return p.Uuid is not null
            ? await DeployByUuidAsync(db, queue, teamId, p, cancellationToken)
            : await DeployByTagAsync(db, queue, teamId, p, cancellationToken);
    }

    private static async Task<IResult> DeployByUuidAsync(
        SlipwayDbContext db, DeploymentQueue queue, long teamId, DeployParameters p, CancellationToken cancellationToken)
    {
        var uuids = SplitList(p.Uuid!);
        if (uuids.Count == 0)
        {
            return ApiResults.BadRequest("No UUIDs provided.");
        }

        var plausible = uuids.Where(PublicId.IsPlausible).ToList();
        var found = await db.Applications.AsNoTracking()
            .Where(a => a.TeamId == teamId && EF.Parameter(plausible).Contains(a.Uuid))
            .ToDictionaryAsync(a => a.Uuid, StringComparer.Ordinal, cancellationToken);
        var items = new List<DeployItem>();
        foreach (var uuid in uuids)
        {
            // Unknown uuids, and other teams' applications, are skipped as Coolify does.
            if (!found.TryGetValue(uuid, out var application))
            {
                continue;
            }

            if (p.DockerTag is not null && application.BuildPack != BuildPack.DockerImage)
            {
                items.Add(new DeployItem("docker_tag can only be used with Docker Image applications.", uuid, null));
                continue;
            }

            EnqueueResult result;
            if (p.PullRequestId != 0)
            {
                // Previews are created by git webhooks; until one exists for this pull request there is nothing to deploy.
                var preview = await db.ApplicationPreviews.AsNoTracking()
                    .FirstOrDefaultAsync(x => x.ApplicationId == application.Id && x.PullRequestId == p.PullRequestId, cancellationToken);
                if (preview is null)
                {
                    items.Add(new DeployItem($"Pull request {p.PullRequestId} not found for this resource.", uuid, null));
                    continue;
                }

                result = await EnqueuePreviewAsync(db, queue, application, preview, p, cancellationToken);
            }
            else
            {
                result = await EnqueueAsync(db, queue, application, p, cancellationToken);
            }

            switch (result.Outcome)
            {
                case EnqueueOutcome.QueueFull:
                    return QueueFull();
                case EnqueueOutcome.Duplicate:
                    items.Add(new DeployItem(EnqueueResult.DuplicateMessage, uuid, result.Deployment!.Uuid));
                    break;
                default:
                    items.Add(new DeployItem($"Application {application.Name} deployment queued.", uuid, result.Deployment!.Uuid));
                    break;
            }
        }

        if (items.Count == 0)
        {
            return ApiResults.NotFound("No resources found.");
        }

        // Coolify answers 200 even when nothing was queued for a pull request; a CI job then reports success
        // for a build that never happened. Slipway says so with a 404.
        if (p.PullRequestId != 0 && items.All(i => i.DeploymentUuid is null))
        {
            return TypedResults.Json(new DeployByUuidResponse(items), SlipwayJson.Options, statusCode: StatusCodes.Status404NotFound);
        }

        return ApiResults.Ok(new DeployByUuidResponse(items));
    }

    private static async Task<IResult> DeployByTagAsync(
        SlipwayDbContext db, DeploymentQueue queue, long teamId, DeployParameters p, CancellationToken cancellationToken)
    {
        var messages = new List<string>();
        var details = new List<DeployDetail>();
        // PostgreSQL text cannot hold NUL, so no tag has such a name; asking would fail (22021) with a 500.
        var names = SplitList(p.Tag!).Where(n => !n.Contains('\0', StringComparison.Ordinal)).ToList();
        var tags = await db.Tags.AsNoTracking()
            .Where(t => t.TeamId == teamId && EF.Parameter(names).Contains(t.Name))
            .ToDictionaryAsync(t => t.Name, StringComparer.Ordinal, cancellationToken);
        foreach (var name in names)
        {
            if (!tags.TryGetValue(name, out var tag))
            {
                continue;
            }

            var applications = await db.Applications.AsNoTracking()
                .Where(a => a.TeamId == teamId && a.Tags.Any(t => t.TagId == tag.Id))
                .OrderBy(a => a.Id)
                .ToListAsync(cancellationToken);
            if (applications.Count == 0)
            {
                messages.Add($"No resources found for tag {name}.");
                continue;
            }

            foreach (var application in applications)
            {
                var result = await EnqueueAsync(db, queue, application, p, cancellationToken);
                if (result.Outcome == EnqueueOutcome.QueueFull)
                {
                    return QueueFull();
                }

                messages.Add(result.Outcome == EnqueueOutcome.Duplicate
                    ? EnqueueResult.DuplicateMessage
                    : $"Application {application.Name} deployment queued.");
                details.Add(new DeployDetail(application.Uuid, result.Deployment!.Uuid));
            }
        }

        return messages.Count == 0
            ? ApiResults.NotFound("No resources found with this tag.")
            : ApiResults.Ok(new DeployByTagResponse(messages, details.Count > 0 ? details : null));
    }

    /// <summary>
    /// The entries of a comma list, in order, each once. A 1 MB body holds some 40,000 uuids or 500,000 tag names:
    /// the list is resolved with one query (<c>EF.Parameter</c> sends it as one array parameter; expanded into one
    /// parameter per entry it would exceed SQLite's limit), and an entry repeated in the same request is deployed once.
    /// </summary>
    private static List<string> SplitList(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Deploys the pull request as it is now: <c>HEAD</c> makes the engine resolve the PR's ref when the run starts. A
    /// preview without one (a Bitbucket fork) redeploys the commit its last webhook named.
    /// </summary>
    private static async Task<EnqueueResult> EnqueuePreviewAsync(
        SlipwayDbContext db, DeploymentQueue queue, Application application, ApplicationPreview preview, DeployParameters p, CancellationToken cancellationToken)
    {
        var target = await DeploymentTargets.LoadAsync(db, application, cancellationToken);
        var commit = preview.SourceRef is null ? preview.Commit ?? "HEAD" : "HEAD";
        var request = new DeploymentRequest { PullRequestId = preview.PullRequestId, GitType = preview.GitType, Commit = commit, ForceRebuild = p.Force, IsApi = true };
        return await queue.EnqueueAsync(target, request, cancellationToken);
    }

    private static async Task<EnqueueResult> EnqueueAsync(
        SlipwayDbContext db, DeploymentQueue queue, Application application, DeployParameters p, CancellationToken cancellationToken)
    {
        var target = await DeploymentTargets.LoadAsync(db, application, cancellationToken);
        return await queue.EnqueueAsync(target, new DeploymentRequest { ForceRebuild = p.Force, IsApi = true }, cancellationToken);
    }
}
