using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Dashboard.Forms;
using Slipway.Api.Features.Projects;
using Slipway.Api.Http;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Dashboard.Pages.Projects;

public sealed class IndexModel(SlipwayDbContext db, TimeProvider clock) : DashboardPage
{
    public sealed record Row(string Uuid, string Name, string? Description, int Environments, int Applications);

    public List<Row> Projects { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ReadNotice();
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Refuse(ApiAbility.Write) is { } refused)
        {
            return refused;
        }

        Submit(ProjectTable.Create, omitEmpty: true);
        var outcome = Outcome.Of(await ProjectsEndpoints.CreateAsync(HttpContext, db, clock, cancellationToken));
        if (outcome.Succeeded)
        {
            return Redirect($"/project/{outcome.Get<UuidResponse>().Uuid}");
        }

        Show(outcome);
        Response.StatusCode = outcome.Status;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var teamId = Caller.TeamId;
        Projects = await db.Projects.AsNoTracking().Where(p => p.TeamId == teamId).OrderBy(p => p.Name)
            .Select(p => new Row(p.Uuid, p.Name, p.Description, p.Environments.Count, db.Applications.Count(a => a.Environment!.ProjectId == p.Id)))
            .ToListAsync(cancellationToken);
    }
}
