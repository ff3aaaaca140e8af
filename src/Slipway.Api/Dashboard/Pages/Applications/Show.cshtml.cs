using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Dashboard.Forms;
using Slipway.Api.Features.Applications;
using Slipway.Api.Features.Webhooks;
using Slipway.Api.Http.Fields;
using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Secrets;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Dashboard.Pages.Applications;

/// <summary>
/// An application: its actions (deploy, force rebuild, restart, stop, roll back), deployments, settings, environment
/// variables, domains and webhooks. Every change is the API's operation on the same fields.
/// </summary>
public sealed class ShowModel(SlipwayDbContext db, ISecretProtector protector)
    : DashboardPage
{
    public const int DeploymentsPerPage = 20;

    /// <summary>The settings the page edits: a subset of the API's PATCH fields, under their wire names.</summary>
    private static readonly string[] SettingsFields =
    [
        "name", "description", "domains", "git_repository", "git_branch", "git_commit_sha", "build_pack", "base_directory", "dockerfile_location",
        "static_image", "static_server", "docker_registry_image_name", "docker_registry_image_tag", "ports_exposes", "ports_mappings",
        "custom_docker_run_options", "health_check_enabled", "health_check_path", "limits_memory", "limits_cpus", "docker_images_to_keep",
        "is_auto_deploy_enabled", "watch_paths", "is_preview_deployments_enabled", "preview_url_template",
    ];

    private static readonly string[] WebhookFields =
        ["manual_webhook_secret_github", "manual_webhook_secret_gitlab", "manual_webhook_secret_gitea", "manual_webhook_secret_bitbucket"];

    public static readonly WireFields<ApplicationDraft> Settings = Subset("DashboardApplicationSettings", SettingsFields);
    public static readonly WireFields<ApplicationDraft> Webhooks = Subset("DashboardApplicationWebhooks", WebhookFields);

    public Place Place { get; private set; } = null!;
    public Application App => Place.Application!;
    public List<Deployment> Deployments { get; private set; } = [];
    public long? OlderThan { get; private set; }
    public List<EnvironmentVariableResponse> Variables { get; private set; } = [];
    public WebhookDeliveriesResponse? Deliveries { get; private set; }
    public string? Form { get; private set; }

    public bool IsGit => App.GitRepository is not null;

    /// <summary>
    /// The repository as the API shows it to the caller: credentials in the URL (<c>https://user:token@host/…</c>) only
    /// for roles that read secrets, <c>&lt;REDACTED&gt;</c> for the others. The settings form holds this value, and the
    /// API keeps the stored URL when that redacted form is sent back.
    /// </summary>
    public string? Repository => ApplicationResponse.ShownRepository(App.GitRepository, SeesSecrets);

    /// <summary>What the form holds after a failed POST, else the application's value.</summary>
    public string? Value(string form, string name, string? current) =>
        Form == form && Request.HasFormContentType ? Request.Form[name].LastOrDefault() : current;

    public string? Secret(string? protectedValue) => SeesSecrets && protectedValue is not null ? protector.Unprotect(protectedValue) : null;

    public string WebhookUrl(string provider) => $"{Request.Scheme}://{Request.Host}/webhooks/source/{provider}/events/manual";

    public async Task<IActionResult> OnGetAsync(string project, string environment, string application, long? before, CancellationToken cancellationToken)
    {
        ReadNotice();
        return await LoadAsync(project, environment, application, before, cancellationToken) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostDeployAsync(string project, string environment, string application, bool force, CancellationToken cancellationToken) =>
        ActAsync(project, environment, application, ApiAbility.Deploy, "deploy", s => ApplicationActions.StartAsync(application, force ? "true" : null, HttpContext, s, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostRestartAsync(string project, string environment, string application, CancellationToken cancellationToken) =>
        ActAsync(project, environment, application, ApiAbility.Deploy, "deploy", s => ApplicationActions.RestartAsync(application, HttpContext, s, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostStopAsync(string project, string environment, string application, CancellationToken cancellationToken) =>
        ActAsync(project, environment, application, ApiAbility.Deploy, "deploy", s => ApplicationActions.StopAsync(application, HttpContext, s, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostRollbackAsync(string project, string environment, string application, CancellationToken cancellationToken) =>
        ActAsync(project, environment, application, ApiAbility.Deploy, "deploy", s =>
        {
            Submit(ApplicationActions.RollbackFields, omitEmpty: true);
            return ApplicationActions.RollbackAsync(application, HttpContext, s, cancellationToken);
        }, cancellationToken);

    public Task<IActionResult> OnPostSettingsAsync(string project, string environment, string application, CancellationToken cancellationToken) =>
        ActAsync(project, environment, application, ApiAbility.Write, "settings", s =>
        {
            Submit(Settings, omitEmpty: false);
            return ApplicationUpdate.UpdateAsync(application, HttpContext, s, cancellationToken);
        }, cancellationToken);

    public Task<IActionResult> OnPostWebhooksAsync(string project, string environment, string application, CancellationToken cancellationToken) =>
        ActAsync(project, environment, application, ApiAbility.Write, "webhooks", s =>
        {
            // An empty input keeps the secret: whoever cannot read it must be able to leave it alone.
            Submit(Webhooks, omitEmpty: true);
            return ApplicationUpdate.UpdateAsync(application, HttpContext, s, cancellationToken);
        }, cancellationToken);

    public Task<IActionResult> OnPostEnvAsync(string project, string environment, string application, string? mode, CancellationToken cancellationToken) =>
        ActAsync(project, environment, application, ApiAbility.Write, "env", async s =>
        {
            Submit(EnvironmentVariableTable.One, omitEmpty: true);
            return mode == "update"
                ? (IResult)await EnvironmentVariablesEndpoints.UpdateAsync(application, HttpContext, s, cancellationToken)
                : await EnvironmentVariablesEndpoints.CreateAsync(application, HttpContext, s, cancellationToken);
        }, cancellationToken);

    public Task<IActionResult> OnPostEnvDeleteAsync(string project, string environment, string application, string variable, CancellationToken cancellationToken) =>
        ActAsync(project, environment, application, ApiAbility.Write, "env", s => EnvironmentVariablesEndpoints.DeleteAsync(application, variable, HttpContext, s, cancellationToken), cancellationToken);

    private async Task<IActionResult> ActAsync<TResult>(
        string project, string environment, string application, ApiAbility ability, string form, Func<ApplicationServices, Task<TResult>> operation, CancellationToken cancellationToken)
        where TResult : IResult
    {
        if (Refuse(ability) is { } refused)
        {
            return refused;
        }

        Form = form;
        if (await Place.FindAsync(db, Caller.TeamId, project, environment, application, cancellationToken) is not { } place)
        {
            return NotFound();
        }

        var outcome = Outcome.Of(await operation(ApplicationServices()));
        if (outcome.Succeeded)
        {
            // A deployment that was started is followed on its own page; anything else comes back here.
            if (outcome.Value is ApplicationActions.QueuedResponse queued)
            {
                return Redirect($"{place.ApplicationPath}/deployment/{queued.DeploymentUuid}");
            }

            return Done(NoticeFor(form, outcome), form);
        }

        Show(outcome);
        Response.StatusCode = outcome.Status;
        db.ChangeTracker.Clear();
        return await LoadAsync(project, environment, application, null, cancellationToken) ? Page() : NotFound();
    }

    private static string NoticeFor(string form, Outcome outcome) => form switch
    {
        "settings" => "Settings saved.",
        "webhooks" => "Webhook secrets saved.",
        "env" => "Environment variables saved.",
        _ => (outcome.Value as Http.MessageResponse)?.Message ?? "Done.",
    };

    private async Task<bool> LoadAsync(string project, string environment, string application, long? before, CancellationToken cancellationToken)
    {
        var place = await Place.FindAsync(db, Caller.TeamId, project, environment, application, cancellationToken);
        if (place is null)
        {
            return false;
        }

        Place = place;
        var id = place.Application!.Id;
        var query = db.Deployments.AsNoTracking().Where(d => d.ApplicationId == id);
        if (before is { } older)
        {
            query = query.Where(d => d.Id < older);
        }

        Deployments = await query.OrderByDescending(d => d.Id).Take(DeploymentsPerPage + 1).ToListAsync(cancellationToken);
        if (Deployments.Count > DeploymentsPerPage)
        {
            Deployments.RemoveAt(DeploymentsPerPage);
            OlderThan = Deployments[^1].Id;
        }

        var services = ApplicationServices();
        Variables = Outcome.Of(await EnvironmentVariablesEndpoints.ListAsync(application, HttpContext, services, cancellationToken)).Get<List<EnvironmentVariableResponse>>();
        Deliveries = Outcome.Of(await WebhookDeliveriesEndpoints.ListAsync(application, HttpContext, db, cancellationToken)).Get<WebhookDeliveriesResponse>();
        return true;
    }

    private static WireFields<ApplicationDraft> Subset(string name, string[] fields) =>
        new(name, fields.Select(f => ApplicationRequests.Update.TryGet(f, out var field) ? field : throw new InvalidOperationException($"No field {f}.")));
}
