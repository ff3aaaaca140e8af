using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Dashboard.Forms;
using Slipway.Api.Features.Proxy;
using Slipway.Api.Features.Servers;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Proxy;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Servers;

namespace Slipway.Api.Dashboard.Pages.Servers;

/// <summary>
/// A server: its connection, the log of its last validation (Validate runs the API's check and shows what it found),
/// and its edge proxy's status as <c>GET /servers/{uuid}/proxy</c> reports it. Its settings and its proxy settings are
/// edited through the API's own operations (<c>PATCH /servers/{uuid}</c> and <c>PATCH /servers/{uuid}/proxy</c>), so
/// their rules judge the forms and their messages stand beside the fields of the same names.
/// </summary>
public sealed class ShowModel(SlipwayDbContext db, TimeProvider clock, ServerValidator validator, IProxyStore store, IProxyService proxies) : DashboardPage
{
    private static readonly WireFields<Core.Servers.Server> NoFields = ServerTable.Validate;

    /// <summary>The server settings the page edits (the proxy type is the proxy form's), under their wire names.</summary>
    public static readonly WireFields<Core.Servers.Server> Settings = new("DashboardServerSettings", ServerTable.Update.Fields.Where(f => f != ServerTable.ProxyType));

    /// <summary>The proxy settings the page edits: all of the API's but Coolify's flag that can only be true.</summary>
    public static readonly WireFields<Core.Proxy.ServerProxy> ProxySettings =
        new("DashboardServerProxySettings", ServerProxyTable.Update.Fields.Where(f => f != ServerProxyTable.GenerateExactLabels));

    public ServerResponse Server { get; private set; } = null!;
    public ServerProxyResponse? Proxy { get; private set; }
    public List<(string Value, string Text)> Keys { get; private set; } = [];
    public string? KeyUuid { get; private set; }

    /// <summary>Which form (settings or proxy) this POST sent, so only that one shows what was typed.</summary>
    public string? Form { get; private set; }

    /// <summary>What <paramref name="form"/> held after a refused POST, else the stored value.</summary>
    public string? Value(string form, string name, string? current) =>
        Form == form && Request.HasFormContentType ? Request.Form[name].LastOrDefault() : current;

    public bool Flag(string form, string name, bool current) => Value(form, name, current ? "true" : "false") is "true" or "on";

    public async Task<IActionResult> OnGetAsync(string server, CancellationToken cancellationToken)
    {
        ReadNotice();
        return await LoadAsync(server, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostValidateAsync(string server, CancellationToken cancellationToken)
    {
        if (Refuse(ApiAbility.Write) is { } refused)
        {
            return refused;
        }

        Submit(NoFields, omitEmpty: true);
        var outcome = Outcome.Of(await ServersEndpoints.ValidateAsync(server, HttpContext, db, validator, cancellationToken));
        if (outcome.NotFound)
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            Show(outcome);
            return await LoadAsync(server, cancellationToken) ? Page() : NotFound();
        }

        var result = outcome.Get<ServerValidationResponse>();
        return Done(result.IsUsable ? "Validated: the server is usable." : result.IsReachable ? "Reachable, but not usable: see the log." : "Not reachable: see the log.", "validation");
    }

    public async Task<IActionResult> OnPostSettingsAsync(string server, CancellationToken cancellationToken)
    {
        if (Refuse(ApiAbility.Write) is { } refused)
        {
            return refused;
        }

        Form = "settings";
        Submit(Settings, omitEmpty: false);
        var outcome = Outcome.Of(await ServersEndpoints.UpdateAsync(server, HttpContext, db, clock, validator, proxies, cancellationToken));
        if (outcome.Succeeded)
        {
            return Done("Settings saved.", "settings");
        }

        if (outcome.Message == ServersEndpoints.NotFoundMessage)
        {
            return NotFound();
        }

        Show(outcome, IndexModel.FieldOfMessage);
        return await RefusedAsync(server, outcome, cancellationToken);
    }

    public async Task<IActionResult> OnPostProxyAsync(string server, CancellationToken cancellationToken)
    {
        if (Refuse(ApiAbility.Write) is { } refused)
        {
            return refused;
        }

        Form = "proxy";
        Submit(ProxySettings, omitEmpty: false);
        var outcome = Outcome.Of(await ServerProxyEndpoints.UpdateAsync(server, HttpContext, db, store, proxies, clock, cancellationToken));
        if (outcome.NotFound)
        {
            return NotFound();
        }

        if (outcome.Succeeded)
        {
            return Done("Proxy settings saved.", "proxy");
        }

        Show(outcome);
        return await RefusedAsync(server, outcome, cancellationToken);
    }

    public async Task<IActionResult> OnPostRestartProxyAsync(string server, CancellationToken cancellationToken)
    {
        if (Refuse(ApiAbility.Write) is { } refused)
        {
            return refused;
        }

        var outcome = Outcome.Of(await ServerProxyEndpoints.RestartAsync(server, HttpContext, db, proxies, cancellationToken));
        if (outcome.NotFound)
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            Show(outcome);
            return await LoadAsync(server, cancellationToken) ? Page() : NotFound();
        }

        return Done(outcome.Get<MessageResponse>().Message, "proxy");
    }

    public async Task<IActionResult> OnPostDeleteAsync(string server, CancellationToken cancellationToken)
    {
        if (Refuse(ApiAbility.Write) is { } refused)
        {
            return refused;
        }

        var outcome = Outcome.Of(await ServersEndpoints.DeleteAsync(server, HttpContext, db, cancellationToken));
        if (outcome.NotFound)
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            Show(outcome);
            Response.StatusCode = outcome.Status;
            return await LoadAsync(server, cancellationToken) ? Page() : NotFound();
        }

        return Redirect($"/servers?notice={Uri.EscapeDataString("Server deleted.")}");
    }

    /// <summary>The page again with the operation's status and messages; nothing it refused was stored.</summary>
    private async Task<IActionResult> RefusedAsync(string server, Outcome outcome, CancellationToken cancellationToken)
    {
        Response.StatusCode = outcome.Status;
        return await LoadAsync(server, cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(string uuid, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var found = Outcome.Of(await ServersEndpoints.GetAsync(uuid, HttpContext, db, cancellationToken));
        if (!found.Succeeded)
        {
            return false;
        }

        Server = found.Get<ServerResponse>();
        var keyId = await db.Servers.AsNoTracking().Where(s => s.Id == Server.Id).Select(s => s.PrivateKeyId).FirstOrDefaultAsync(cancellationToken);
        KeyUuid = await db.PrivateKeys.AsNoTracking().Where(k => k.Id == keyId).Select(k => k.Uuid).FirstOrDefaultAsync(cancellationToken);
        Keys = await IndexModel.KeyOptionsAsync(db, Caller.TeamId, cancellationToken);
        var proxy = Outcome.Of(await ServerProxyEndpoints.GetAsync(uuid, HttpContext, db, store, proxies, cancellationToken));
        Proxy = proxy.Succeeded ? proxy.Get<ServerProxyResponse>() : null;
        return true;
    }
}
