using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Features.Tags;
using Slipway.Api.Http;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Tokens;

namespace Slipway.Api.Features.Applications;

/// <summary>Tags on one application.</summary>
internal static class ApplicationTagsEndpoints
{
    public static RouteGroupBuilder MapApplicationTags(this RouteGroupBuilder group)
    {
        group.MapGet("/{uuid}/tags", ListAsync).WithName("list-tags-by-application-uuid").WithSummary("The application's tags.")
            .RequireAbility(ApiAbility.Read);
        group.MapPost("/{uuid}/tags", AddAsync).WithName("create-tag-by-application-uuid").WithSummary("Attach tags, creating them if needed.")
            .RequireAbility(ApiAbility.Write);
        group.MapDelete("/{uuid}/tags/{tagUuid}", RemoveAsync).WithName("delete-tag-by-application-uuid").WithSummary("Detach a tag.")
            .RequireAbility(ApiAbility.Write);
        return group;
    }

    private static async Task<IResult> ListAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var tags = await s.Db.ApplicationTags.AsNoTracking().Where(t => t.ApplicationId == application.Id)
            .Select(t => t.Tag!).OrderBy(t => t.Name).ToListAsync(cancellationToken);
        return ApiResults.Ok(tags.Select(TagResponse.From).ToList());
    }

    private static async Task<IResult> AddAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var teamId = http.Caller().TeamId;
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, teamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var body = await JsonBody.ReadAsync<AddTagsRequest>(http.Request, null, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var names = new List<string>();
        if (body.Value!.TagName is { } single)
        {
            names.Add(single.Trim());
        }

        names.AddRange((body.Value.TagNames ?? []).Select(n => n.Trim()));
        var errors = new ValidationErrors();
        if (names.Count == 0)
        {
            errors.Add("tag_name", "Provide tag_name or tag_names.");
        }

        foreach (var name in names)
        {
            errors.AddIf(body.Value.TagName is null ? "tag_names" : "tag_name", TagNames.Check(name));
        }

        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        var tags = await TagNames.FindOrCreateAsync(s.Db, teamId, names, Timestamps.Now(s.Clock), cancellationToken);
        await s.Db.SaveChangesAsync(cancellationToken);
        var attached = await s.Db.ApplicationTags.Where(t => t.ApplicationId == application.Id).Select(t => t.TagId).ToListAsync(cancellationToken);
        foreach (var tag in tags.Where(t => !attached.Contains(t.Id)))
        {
            s.Db.ApplicationTags.Add(new ApplicationTag { ApplicationId = application.Id, TagId = tag.Id });
        }

        await s.Db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created(tags.OrderBy(t => t.Name).Select(TagResponse.From).ToList());
    }

    private static async Task<IResult> RemoveAsync(string uuid, string tagUuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var link = PublicId.IsPlausible(tagUuid)
            ? await s.Db.ApplicationTags.FirstOrDefaultAsync(t => t.ApplicationId == application.Id && t.Tag!.Uuid == tagUuid, cancellationToken)
            : null;
        if (link is null)
        {
            return ApiResults.NotFound("Tag not found.");
        }

        s.Db.ApplicationTags.Remove(link);
        await s.Db.SaveChangesAsync(cancellationToken);
        return ApiResults.Message("Tag removed.");
    }

    public sealed class AddTagsRequest
    {
        public string? TagName { get; set; }
        public string[]? TagNames { get; set; }
    }
}
