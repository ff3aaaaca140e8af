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

/// <summary><c>/projects/{uuid}/environments</c>: list a project's environments and add one.</summary>
public static class EnvironmentsEndpoints
{
    public const string DuplicateMessage = "Environment with this name already exists.";

    public static RouteGroupBuilder MapEnvironmentsEndpoints(this RouteGroupBuilder projects)
    {
        projects.MapGet("/{uuid}/environments", ListAsync).WithName("get-environments").WithSummary("List a project's environments.")
            .RequireAbility(ApiAbility.Read);
        projects.MapPost("/{uuid}/environments", CreateAsync).WithName("create-environment").WithSummary("Add an environment to a project.")
            .RequireAbility(ApiAbility.Write).AcceptsFields(ProjectTable.CreateEnvironment);
        return projects;
    }

    private static async Task<Results<Ok<List<EnvironmentResponse>>, NotFound<ErrorResponse>>> ListAsync(string uuid, HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var project = await ProjectsEndpoints.FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (project is null)
        {
            return ApiResults.NotFound(ProjectsEndpoints.NotFoundMessage);
        }

        var environments = await db.Environments.AsNoTracking().Where(e => e.ProjectId == project.Id).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        return ApiResults.Ok(environments.Select(EnvironmentResponse.From).ToList());
    }

    private static async Task<Results<Created<UuidResponse>, NotFound<ErrorResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>, Conflict<ErrorResponse>>> CreateAsync(
        string uuid, HttpContext http, SlipwayDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var project = await ProjectsEndpoints.FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (project is null)
        {
            return ApiResults.NotFound(ProjectsEndpoints.NotFoundMessage);
        }

        var body = await WireBody<ProjectEnvironment>.ReadAsync(http.Request, ProjectTable.CreateEnvironment, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var now = Timestamps.Now(clock);
        var environment = new ProjectEnvironment { Uuid = PublicId.New(), ProjectId = project.Id, Name = string.Empty, CreatedAt = now, UpdatedAt = now };
        var errors = new ValidationErrors();
        body.Apply(environment, errors);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        var name = environment.Name;
        if (await db.Environments.AnyAsync(e => e.ProjectId == project.Id && e.Name == name, cancellationToken))
        {
            return ApiResults.Conflict(DuplicateMessage);
        }

        db.Environments.Add(environment);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Only a concurrent request that created the same name between the check above and this insert
            // is a 409; any other failure stays an error.
            if (!await ExistsElsewhereAsync(db, environment, cancellationToken))
            {
                throw;
            }

            return ApiResults.Conflict(DuplicateMessage);
        }

        return ApiResults.Created(new UuidResponse(environment.Uuid));
    }

    private static async Task<bool> ExistsElsewhereAsync(SlipwayDbContext db, ProjectEnvironment environment, CancellationToken cancellationToken)
    {
        db.Entry(environment).State = EntityState.Detached;
        return await db.Environments.AnyAsync(e => e.ProjectId == environment.ProjectId && e.Name == environment.Name, cancellationToken);
    }
}
