using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Common;
using Slipway.Core.Projects;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Projects;

/// <summary>Projects of the caller's team: <c>/projects</c> and <c>/projects/{uuid}</c>. Environments are in <see cref="EnvironmentsEndpoints"/>.</summary>
public static class ProjectsEndpoints
{
    public const string NotFoundMessage = "Project not found.";

    public static RouteGroupBuilder MapProjectsEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/projects").WithTags("Projects");
        group.MapGet("", ListAsync).WithName("list-projects").WithSummary("List the team's projects.")
            .RequireAbility(ApiAbility.Read);
        group.MapPost("", CreateAsync).WithName("create-project").WithSummary("Create a project with a production environment.")
            .RequireAbility(ApiAbility.Write).AcceptsFields(ProjectTable.Create);
        group.MapGet("/{uuid}", GetAsync).WithName("get-project-by-uuid").WithSummary("Get a project and its environments.")
            .RequireAbility(ApiAbility.Read);
        group.MapPatch("/{uuid}", UpdateAsync).WithName("update-project-by-uuid").WithSummary("Change a project's name or description.")
            .RequireAbility(ApiAbility.Write).AcceptsFields(ProjectTable.Update);
        group.MapDelete("/{uuid}", DeleteAsync).WithName("delete-project-by-uuid").WithSummary("Delete a project that holds no applications.")
            .RequireAbility(ApiAbility.Write);
        group.MapEnvironmentsEndpoints();
        return group;
    }

    /// <summary>The caller's project, or null for an implausible uuid, an unknown one or another team's.</summary>
    internal static async Task<Project?> FindAsync(SlipwayDbContext db, string uuid, long teamId, CancellationToken cancellationToken) =>
        PublicId.IsPlausible(uuid)
            ? await db.Projects.FirstOrDefaultAsync(p => p.Uuid == uuid && p.TeamId == teamId, cancellationToken)
            : null;

    private static async Task<Ok<List<ProjectResponse>>> ListAsync(HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var teamId = http.Caller().TeamId;
        var projects = await db.Projects.AsNoTracking().Where(p => p.TeamId == teamId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return ApiResults.Ok(projects.Select(ProjectResponse.From).ToList());
    }

    private static async Task<Results<Ok<ProjectDetailResponse>, NotFound<ErrorResponse>>> GetAsync(string uuid, HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var teamId = http.Caller().TeamId;
        var project = PublicId.IsPlausible(uuid)
            ? await db.Projects.AsNoTracking().Include(p => p.Environments)
                .FirstOrDefaultAsync(p => p.Uuid == uuid && p.TeamId == teamId, cancellationToken)
            : null;
        return project is null ? ApiResults.NotFound(NotFoundMessage) : ApiResults.Ok(ProjectDetailResponse.From(project));
    }

    private static async Task<Results<Created<UuidResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>>> CreateAsync(HttpContext http, SlipwayDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var body = await WireBody<Project>.ReadAsync(http.Request, ProjectTable.Create, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var now = Timestamps.Now(clock);
        var project = new Project { Uuid = PublicId.New(), TeamId = http.Caller().TeamId, Name = string.Empty, CreatedAt = now, UpdatedAt = now };
        var errors = new ValidationErrors();
        body.Apply(project, errors);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        project.Environments.Add(new ProjectEnvironment { Uuid = PublicId.New(), Name = ProjectEnvironment.DefaultName, CreatedAt = now, UpdatedAt = now });
        db.Projects.Add(project);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created(new UuidResponse(project.Uuid));
    }

    private static async Task<Results<Created<UpdatedProjectResponse>, NotFound<ErrorResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>>> UpdateAsync(
        string uuid, HttpContext http, SlipwayDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var project = await FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (project is null)
        {
            return ApiResults.NotFound(NotFoundMessage);
        }

        var body = await WireBody<Project>.ReadAsync(http.Request, ProjectTable.Update, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var errors = new ValidationErrors();
        body.Validate(project, errors);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        body.Assign(project);
        project.UpdatedAt = Timestamps.Now(clock);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created(new UpdatedProjectResponse(project.Uuid, project.Name, project.Description));
    }

    private static async Task<Results<Ok<MessageResponse>, NotFound<ErrorResponse>, BadRequest<ErrorResponse>>> DeleteAsync(string uuid, HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var project = await FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (project is null)
        {
            return ApiResults.NotFound(NotFoundMessage);
        }

        if (await db.Applications.AnyAsync(a => a.Environment!.ProjectId == project.Id, cancellationToken))
        {
            return ApiResults.BadRequest("Project has resources, so it cannot be deleted.");
        }

        // Its environments go with it (cascade); they hold nothing, as checked above.
        db.Projects.Remove(project);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Message("Project deleted.");
    }
}
