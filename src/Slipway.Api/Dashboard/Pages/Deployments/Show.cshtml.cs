using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Dashboard.Forms;
using Slipway.Api.Dashboard.Logs;
using Slipway.Api.Features.Deployments;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Dashboard.Pages.Deployments;

/// <summary>
/// A deployment: status, commit, timings per step and its log. By default the newest <see cref="LogView.PageSize"/>
/// lines, which <c>log.js</c> then follows live from the last one; <c>?from=N</c> shows a page of older lines and
/// <c>?q=</c> searches the whole log on the server. Cancel is the API's operation.
/// </summary>
public sealed class ShowModel(SlipwayDbContext db, DeploymentQueue queue, LogView view) : DashboardPage
{
    public const int MaxSearchLength = 200;

    public Place Place { get; private set; } = null!;
    public Deployment Deployment { get; private set; } = null!;
    public IReadOnlyList<LogView.Step> Steps { get; private set; } = [];
    public List<DeploymentLogEntry> Lines { get; private set; } = [];

    /// <summary>The highest order stored when the page was read: the live log follows from there.</summary>
    public int LastOrder { get; private set; }

    /// <summary>Whether lines before the first shown exist (the tail of a long log).</summary>
    public bool HasEarlier { get; private set; }

    public int? From { get; private set; }
    public string? Query { get; private set; }

    public bool IsLive => From is null && Query is null;

    public string StreamUrl => $"/api/v1/deployments/{Deployment.Uuid}/logs";

    public async Task<IActionResult> OnGetAsync(string project, string environment, string application, string deployment, int? from, string? q, CancellationToken cancellationToken)
    {
        ReadNotice();
        if (!await LoadAsync(project, environment, application, deployment, cancellationToken))
        {
            return NotFound();
        }

        if (q is { Length: > 0 })
        {
            if (q.Length > MaxSearchLength)
            {
                ShowError("q", $"Search for at most {MaxSearchLength} characters.");
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return Page();
            }

            Query = q;
            Lines = await LogView.SearchAsync(db, Deployment.Id, q, cancellationToken);
        }
        else if (from is { } first)
        {
            From = Math.Max(1, first);
            Lines = await LogView.PageAsync(db, Deployment.Id, From.Value, debug: false, cancellationToken);
        }
        else
        {
            (Lines, LastOrder) = await LogView.TailAsync(db, Deployment.Id, debug: false, cancellationToken);
            HasEarlier = Lines.Count > 0 && await db.DeploymentLogEntries.AnyAsync(e => e.DeploymentId == Deployment.Id && e.Order < Lines[0].Order && !e.Hidden, cancellationToken);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync(string project, string environment, string application, string deployment, CancellationToken cancellationToken)
    {
        if (Refuse(ApiAbility.Deploy) is { } refused)
        {
            return refused;
        }

        if (!await LoadAsync(project, environment, application, deployment, cancellationToken))
        {
            return NotFound();
        }

        var outcome = Outcome.Of(await DeploymentsEndpoints.CancelAsync(deployment, HttpContext, db, queue, cancellationToken));
        if (outcome.Succeeded)
        {
            return Done("Deployment cancelled.");
        }

        Show(outcome);
        Response.StatusCode = outcome.Status;
        (Lines, LastOrder) = await LogView.TailAsync(db, Deployment.Id, debug: false, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(string project, string environment, string application, string deployment, CancellationToken cancellationToken)
    {
        var place = await Place.FindAsync(db, Caller.TeamId, project, environment, application, cancellationToken);
        if (place is null || !Core.Common.PublicId.IsPlausible(deployment))
        {
            return false;
        }

        var found = await db.Deployments.AsNoTracking()
            .FirstOrDefaultAsync(d => d.Uuid == deployment && d.ApplicationId == place.Application!.Id && d.TeamId == Caller.TeamId, cancellationToken);
        if (found is null)
        {
            return false;
        }

        (Place, Deployment) = (place, found);
        Steps = await view.StepsAsync(db, found, cancellationToken);
        return true;
    }
}
