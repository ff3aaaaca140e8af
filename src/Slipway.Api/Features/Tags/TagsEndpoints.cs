using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Tags;

/// <summary>Team tags: what <c>POST /deploy?tag=</c> deploys.</summary>
public static class TagsEndpoints
{
    public static RouteGroupBuilder MapTagsEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tags").WithTags("Tags");
        group.MapGet("", ListAsync).WithName("list-tags").WithSummary("The team's tags.").RequireAbility(ApiAbility.Read);
        group.MapPost("", CreateAsync).WithName("create-tag").WithSummary("Create a tag.").RequireAbility(ApiAbility.Write).AcceptsFields(CreateFields);
        return group;
    }

    private static async Task<Ok<List<TagResponse>>> ListAsync(HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var teamId = http.Caller().TeamId;
        var tags = await db.Tags.AsNoTracking().Where(t => t.TeamId == teamId).OrderBy(t => t.Name).ToListAsync(cancellationToken);
        return ApiResults.Ok(tags.Select(TagResponse.From).ToList());
    }

    private static async Task<Results<Created<TagResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>, Conflict<ErrorResponse>>> CreateAsync(HttpContext http, SlipwayDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var body = await WireBody<Tag>.ReadAsync(http.Request, CreateFields, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var errors = new ValidationErrors();
        body.Validate(null!, errors);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        var name = body.Text(Name)!.Trim();

        var teamId = http.Caller().TeamId;
        if (await db.Tags.AnyAsync(t => t.TeamId == teamId && t.Name == name, cancellationToken))
        {
            return ApiResults.Conflict("Tag with this name already exists.");
        }

        var now = Timestamps.Now(clock);
        var tag = new Tag { Uuid = PublicId.New(), TeamId = teamId, Name = name!, CreatedAt = now, UpdatedAt = now };
        db.Tags.Add(tag);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created(TagResponse.From(tag));
    }

    public static readonly WireField<Tag> Name = WireField<Tag>.Text("name", (v, _) => TagNames.Check(v?.Trim()), null)
        .WhenMissing(TagNames.Check(null)!).Matching(TagNames.Pattern);

    /// <summary>Body of <c>POST /tags</c>.</summary>
    public static readonly WireFields<Tag> CreateFields = new("CreateTagRequest", [Name], required: [Name]);
}
