using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Dashboard.Forms;
using Slipway.Api.Features.Servers;
using Slipway.Api.Http;
using Slipway.Core.Proxy;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Servers;

namespace Slipway.Api.Dashboard.Pages.Servers;

/// <summary>The team's servers, and a form that adds one through the API's own create operation (and its rules).</summary>
public sealed class IndexModel(SlipwayDbContext db, TimeProvider clock, ServerValidator validator, IProxyService proxies) : DashboardPage
{
    /// <summary>The server operations' answers that are about one field, though they come without one.</summary>
    internal static readonly IReadOnlyDictionary<string, string> FieldOfMessage = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ServersEndpoints.KeyNotFoundMessage] = ServerTable.PrivateKeyUuid.Name,
        [ServersEndpoints.DuplicateIpMessage] = ServerTable.Ip.Name,
    };

    public List<ServerResponse> Servers { get; private set; } = [];
    public List<(string Value, string Text)> Keys { get; private set; } = [];

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

        Submit(ServerTable.Create, omitEmpty: true);
        var outcome = Outcome.Of(await ServersEndpoints.CreateAsync(HttpContext, db, clock, validator, proxies, cancellationToken));
        if (outcome.Succeeded)
        {
            return Redirect($"/server/{outcome.Get<UuidResponse>().Uuid}?notice={Uri.EscapeDataString("Server added.")}");
        }

        Show(outcome, FieldOfMessage);

        Response.StatusCode = outcome.Status;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Servers = (await ServersEndpoints.ListAsync(HttpContext, db, cancellationToken)).Value ?? [];
        Keys = await KeyOptionsAsync(db, Caller.TeamId, cancellationToken);
    }

    /// <summary>The team's private keys as the options of a server form's key field: uuid, then name and fingerprint.</summary>
    internal static async Task<List<(string Value, string Text)>> KeyOptionsAsync(SlipwayDbContext db, long teamId, CancellationToken cancellationToken) =>
        (await db.PrivateKeys.AsNoTracking().Where(k => k.TeamId == teamId).OrderBy(k => k.Id).Select(k => new { k.Uuid, k.Name, k.Fingerprint }).ToListAsync(cancellationToken))
            .Select(k => (k.Uuid, $"{k.Name} ({k.Fingerprint})")).ToList();
}
