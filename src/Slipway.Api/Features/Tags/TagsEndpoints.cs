using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Http;
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
        group.MapPost("", CreateAsync).WithName("create-tag").WithSummary("Create a tag.").RequireAbility(ApiAbility.Write);
        return group;
    }

    private static async Task<IResult> ListAsync(HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var teamId = http.Caller().TeamId;
        var tags = await db.Tags.AsNoTracking().Where(t => t.TeamId == teamId).OrderBy(t => t.Name).ToListAsync(cancellationToken);
        return ApiResults.Ok(tags.Select(TagResponse.From).ToList());
    }

    private static async Task<IResult> CreateAsync(HttpContext http, SlipwayDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CreateTagRequest>(http.Request, null, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var name = body.Value!.Name?.Trim();
        if (TagNames.Check(name) is { } error)
        {
            return ApiResults.Validation("name", error);
        }

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

    public sealed class CreateTagRequest
    {
        public string? Name { get; set; }
    }
}
