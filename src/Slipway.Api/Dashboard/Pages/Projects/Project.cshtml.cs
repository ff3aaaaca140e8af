using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Dashboard.Forms;
using Slipway.Api.Features.Projects;
using Slipway.Api.Http;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Dashboard.Pages.Projects;

public sealed class ProjectModel(SlipwayDbContext db, TimeProvider clock) : DashboardPage
{
    public sealed record Row(string Uuid, string Name, int Applications);

    public string Uuid { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string? Description { get; private set; }
    public List<Row> Environments { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string project, CancellationToken cancellationToken)
    {
        ReadNotice();
        return await LoadAsync(project, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(string project, CancellationToken cancellationToken)
    {
        if (Refuse(ApiAbility.Write) is { } refused)
        {
            return refused;
        }

        Submit(ProjectTable.CreateEnvironment, omitEmpty: true);
        var outcome = Outcome.Of(await EnvironmentsEndpoints.CreateAsync(project, HttpContext, db, clock, cancellationToken));
        if (outcome.NotFound && outcome.Errors.Count == 0 && outcome.Message == ProjectsEndpoints.NotFoundMessage)
        {
            return NotFound();
        }

        if (outcome.Succeeded)
        {
            return Redirect($"/project/{project}/environment/{outcome.Get<UuidResponse>().Uuid}");
        }

        Show(outcome);
        Response.StatusCode = outcome.Status;
        return await LoadAsync(project, cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(string uuid, CancellationToken cancellationToken)
    {
        var project = await ProjectsEndpoints.FindAsync(db, uuid, Caller.TeamId, cancellationToken);
        if (project is null)
        {
            return false;
        }

        (Uuid, Name, Description) = (project.Uuid, project.Name, project.Description);
        Environments = await db.Environments.AsNoTracking().Where(e => e.ProjectId == project.Id).OrderBy(e => e.Id)
            .Select(e => new Row(e.Uuid, e.Name, db.Applications.Count(a => a.EnvironmentId == e.Id)))
            .ToListAsync(cancellationToken);
        return true;
    }
}
