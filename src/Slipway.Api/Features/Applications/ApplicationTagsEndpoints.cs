using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Features.Tags;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
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
            .RequireAbility(ApiAbility.Write).AcceptsFields(AddTagsFields);
        group.MapDelete("/{uuid}/tags/{tag_uuid}", RemoveAsync).WithName("delete-tag-by-application-uuid").WithSummary("Detach a tag.")
            .RequireAbility(ApiAbility.Write);
        return group;
    }

    private static async Task<Results<Ok<List<TagResponse>>, NotFound<ErrorResponse>>> ListAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
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

    private static async Task<Results<Created<List<TagResponse>>, NotFound<ErrorResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>>> AddAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var teamId = http.Caller().TeamId;
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, teamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var body = await WireBody<object>.ReadAsync(http.Request, AddTagsFields, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var names = new List<string>();
        var single = body.Text(TagName);
        if (single is not null)
        {
            names.Add(single.Trim());
        }

        names.AddRange((body.Texts(TagNameList) ?? []).Select(n => n.Trim()));
        var errors = new ValidationErrors();
        if (names.Count == 0)
        {
            errors.Add(TagName.Name, $"Provide {TagName.Name} or {TagNameList.Name}.");
        }

        foreach (var name in names)
        {
            errors.AddIf(single is null ? TagNameList.Name : TagName.Name, TagNames.Check(name));
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

    private static async Task<Results<Ok<MessageResponse>, NotFound<ErrorResponse>>> RemoveAsync(string uuid, [FromRoute(Name = "tag_uuid")] string tagUuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
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

    public static readonly WireField<object> TagName = WireField<object>.Text("tag_name", Rules.Any, null).AcceptsNull().WriteOnly();
    public static readonly WireField<object> TagNameList = WireField<object>.Texts("tag_names", Rules.Any, null).AcceptsNull().WriteOnly();

    /// <summary>Body of <c>POST /applications/{uuid}/tags</c>: one tag name, a list, or both.</summary>
    public static readonly WireFields<object> AddTagsFields = new("AddApplicationTagsRequest", [TagName, TagNameList]);
}
