using Microsoft.AspNetCore.Mvc;
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
/// and its edge proxy's status as <c>GET /servers/{uuid}/proxy</c> reports it.
/// </summary>
public sealed class ShowModel(SlipwayDbContext db, ServerValidator validator, IProxyStore store, IProxyService proxies) : DashboardPage
{
    private static readonly WireFields<Core.Servers.Server> NoFields = ServerTable.Validate;

    public ServerResponse Server { get; private set; } = null!;
    public ServerProxyResponse? Proxy { get; private set; }

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

    private async Task<bool> LoadAsync(string uuid, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var found = Outcome.Of(await ServersEndpoints.GetAsync(uuid, HttpContext, db, cancellationToken));
        if (!found.Succeeded)
        {
            return false;
        }

        Server = found.Get<ServerResponse>();
        var proxy = Outcome.Of(await ServerProxyEndpoints.GetAsync(uuid, HttpContext, db, store, proxies, cancellationToken));
        Proxy = proxy.Succeeded ? proxy.Get<ServerProxyResponse>() : null;
        return true;
    }
}
