using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Dashboard.Forms;
using Slipway.Api.Features.Applications;
using Slipway.Api.Http.Fields;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Dashboard.Pages.Applications;

/// <summary>
/// Creates an application with the API's own operations (public repository, deploy key, Dockerfile, image): the
/// form is the request's JSON body, so every rule and message is the API's, shown next to its field.
/// </summary>
public sealed class NewModel(SlipwayDbContext db)
    : DashboardPage
{
    public static readonly IReadOnlyList<(string Kind, string Label)> Kinds =
        [("public", "Public repository"), ("deploy-key", "Private repository (deploy key)"), ("dockerfile", "Dockerfile"), ("image", "Docker image")];

    public Place Place { get; private set; } = null!;
    public string Kind { get; private set; } = "public";
    public List<(string Value, string Text)> Servers { get; private set; } = [];
    public List<(string Value, string Text)> Keys { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string project, string environment, string? kind, CancellationToken cancellationToken)
    {
        if (Refuse(ApiAbility.Write) is { } refused)
        {
            return refused;
        }

        return await LoadAsync(project, environment, kind, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(string project, string environment, string? kind, CancellationToken cancellationToken)
    {
        if (Refuse(ApiAbility.Write) is { } refused)
        {
            return refused;
        }

        if (!await LoadAsync(project, environment, kind, cancellationToken))
        {
            return NotFound();
        }

        var services = ApplicationServices();
        var place = ((string, JsonNode?))("project_uuid", Place.Project.Uuid);
        var env = ((string, JsonNode?))("environment_uuid", Place.Environment.Uuid);
        var outcome = Kind switch
        {
            "deploy-key" => Run(ApplicationRequests.CreateDeployKey, place, env, () => ApplicationCreation.CreateDeployKeyAsync(HttpContext, services, cancellationToken)),
            "dockerfile" => Run(ApplicationRequests.CreateDockerfile, place, env, () => ApplicationCreation.CreateDockerfileAsync(HttpContext, services, cancellationToken)),
            "image" => Run(ApplicationRequests.CreateDockerImage, place, env, () => ApplicationCreation.CreateDockerImageAsync(HttpContext, services, cancellationToken)),
            _ => Run(ApplicationRequests.CreatePublic, place, env, () => ApplicationCreation.CreatePublicAsync(HttpContext, services, cancellationToken)),
        };
        var answer = await outcome;
        if (answer.Succeeded)
        {
            var created = answer.Get<CreatedApplicationResponse>();
            var path = $"{Place.EnvironmentPath}/application/{created.Uuid}";
            return Redirect(created.DeploymentUuid is null ? path : $"{path}/deployment/{created.DeploymentUuid}");
        }

        Show(answer);
        Response.StatusCode = answer.Status;
        return Page();
    }

    private async Task<Outcome> Run<TResult>(WireFields<ApplicationDraft> fields, (string, JsonNode?) project, (string, JsonNode?) environment, Func<Task<TResult>> create)
        where TResult : IResult
    {
        Submit(fields, omitEmpty: true, project, environment);
        return Outcome.Of(await create());
    }

    private async Task<bool> LoadAsync(string project, string environment, string? kind, CancellationToken cancellationToken)
    {
        var place = await Place.FindAsync(db, Caller.TeamId, project, environment, null, cancellationToken);
        if (place is null)
        {
            return false;
        }

        Place = place;
        Kind = Kinds.Any(k => k.Kind == kind) ? kind! : "public";
        var teamId = Caller.TeamId;
        Servers = (await db.Servers.AsNoTracking().Where(s => s.TeamId == teamId).OrderBy(s => s.Id).Select(s => new { s.Uuid, s.Name, s.Ip }).ToListAsync(cancellationToken))
            .Select(s => (s.Uuid, $"{s.Name} ({s.Ip})")).ToList();
        Keys = (await db.PrivateKeys.AsNoTracking().Where(k => k.TeamId == teamId).OrderBy(k => k.Id).Select(k => new { k.Uuid, k.Name, k.Fingerprint }).ToListAsync(cancellationToken))
            .Select(k => (k.Uuid, $"{k.Name} ({k.Fingerprint})")).ToList();
        return true;
    }
}
