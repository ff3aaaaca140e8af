using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Dashboard.Pages.Projects;

/// <summary>An environment's applications and their previews: status, domains, last deployment and its commit.</summary>
public sealed class EnvironmentModel(SlipwayDbContext db) : DashboardPage
{
    public sealed record LastDeployment(string Uuid, DeploymentStatus Status, string Commit, DateTime CreatedAt);

    public sealed record PreviewRow(int PullRequestId, string Status, string? Fqdn, int Port, string? Commit, LastDeployment? Last);

    public sealed record AppRow(string Uuid, string Name, string Status, string? Domains, LastDeployment? Last, List<PreviewRow> Previews);

    public Place Place { get; private set; } = null!;
    public List<AppRow> Applications { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string project, string environment, CancellationToken cancellationToken)
    {
        var place = await Place.FindAsync(db, Caller.TeamId, project, environment, null, cancellationToken);
        if (place is null)
        {
            return NotFound();
        }

        Place = place;
        var apps = await db.Applications.AsNoTracking().Where(a => a.EnvironmentId == place.Environment.Id && a.TeamId == Caller.TeamId)
            .OrderBy(a => a.Name).ToListAsync(cancellationToken);
        foreach (var app in apps)
        {
            var last = await LastAsync(app.Id, 0, cancellationToken);
            var previews = await db.ApplicationPreviews.AsNoTracking().Where(p => p.ApplicationId == app.Id).OrderBy(p => p.PullRequestId).ToListAsync(cancellationToken);
            var rows = new List<PreviewRow>();
            foreach (var p in previews)
            {
                rows.Add(new PreviewRow(p.PullRequestId, p.Status, p.Fqdn, p.Port, p.Commit, await LastAsync(app.Id, p.PullRequestId, cancellationToken)));
            }

            Applications.Add(new AppRow(app.Uuid, app.Name, app.Status, app.Fqdn, last, rows));
        }

        return Page();
    }

    private Task<LastDeployment?> LastAsync(long applicationId, int pullRequestId, CancellationToken cancellationToken) =>
        db.Deployments.AsNoTracking().Where(d => d.ApplicationId == applicationId && d.PullRequestId == pullRequestId)
            .OrderByDescending(d => d.Id).Select(d => new LastDeployment(d.Uuid, d.Status, d.Commit, d.CreatedAt)).FirstOrDefaultAsync(cancellationToken);
}
