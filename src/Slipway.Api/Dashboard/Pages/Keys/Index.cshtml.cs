using Microsoft.AspNetCore.Mvc;
using Slipway.Api.Dashboard.Forms;
using Slipway.Api.Features.PrivateKeys;
using Slipway.Core.Secrets;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Dashboard.Pages.Keys;

/// <summary>The team's private keys through the API's operations: added (parsed and encrypted there), listed without key material, deleted.</summary>
public sealed class IndexModel(SlipwayDbContext db, ISecretProtector protector, TimeProvider clock) : DashboardPage
{
    public List<PrivateKeyResponse> Keys { get; private set; } = [];

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

        Submit(PrivateKeyTable.Create, omitEmpty: true);
        var outcome = Outcome.Of(await PrivateKeysEndpoints.CreateAsync(HttpContext, db, protector, clock, cancellationToken));
        if (outcome.Succeeded)
        {
            return Done("Private key added.");
        }

        Show(outcome);
        Response.StatusCode = outcome.Status;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string uuid, CancellationToken cancellationToken)
    {
        if (Refuse(ApiAbility.Write) is { } refused)
        {
            return refused;
        }

        var outcome = Outcome.Of(await PrivateKeysEndpoints.DeleteAsync(uuid, HttpContext, db, cancellationToken));
        if (outcome.NotFound)
        {
            return NotFound();
        }

        if (outcome.Succeeded)
        {
            return Done("Private key deleted.");
        }

        Show(outcome);
        Response.StatusCode = outcome.Status;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        Keys = (await PrivateKeysEndpoints.ListAsync(HttpContext, db, cancellationToken)).Value ?? [];
    }
}
