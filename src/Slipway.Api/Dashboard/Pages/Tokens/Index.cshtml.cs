using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Tokens;
using Slipway.Core.Users;
using Slipway.Core.Validation;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Tokens;

namespace Slipway.Api.Dashboard.Pages.Tokens;

/// <summary>
/// The team's API tokens through <see cref="ApiTokenService"/> (as <c>slipway tokens</c> uses it): created with at most
/// the abilities of the person creating it (<see cref="UserRoles.MayGrant"/>), and revoked by owners and admins, or by
/// the member who created it. A created token is answered with a redirect (Post/Redirect/Get, so a reload does not
/// create a second one); the secret rides to that one GET in TempData (the framework's cookie, encrypted with the data
/// protection keys and deleted once read), never in a URL, and no later page shows it.
/// </summary>
public sealed class IndexModel(ApiTokenService tokens, SlipwayDbContext db, TimeProvider clock) : DashboardPage
{
    public sealed record Row(ApiToken Token, string? CreatedBy);

    public sealed record NewToken(string Name, string Secret);

    public List<Row> Tokens { get; private set; } = [];

    /// <summary>The token just created, read once from TempData on the GET after the create's redirect.</summary>
    public NewToken? Created { get; private set; }

    [TempData(Key = "created_token_name")]
    public string? CreatedName { get; set; }

    [TempData(Key = "created_token_secret")]
    public string? CreatedSecret { get; set; }

    public IReadOnlySet<string> Requested { get; private set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The abilities this person may put on a token: never more than their own.</summary>
    public IEnumerable<string> Grantable =>
        ApiAbilities.AllNames.Where(n => ApiAbilities.TryParse(n, out var a) && UserRoles.MayGrant(Caller.Abilities, a));

    public bool MayRevoke(ApiToken token) => ManagesMembers || (token.CreatedByUserId is { } by && by == UserId);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ReadNotice();
        if (CreatedName is not null && CreatedSecret is not null)
        {
            Created = new NewToken(CreatedName, CreatedSecret);
        }

        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(string? name, string[]? abilities, [FromForm(Name = "expires_in_days")] string? expiresInDays, CancellationToken cancellationToken)
    {
        Requested = (abilities ?? []).ToHashSet(StringComparer.Ordinal);
        var errors = TokenRules.Check(name, Requested, expiresInDays, Caller.Abilities, out var request);
        if (request is null)
        {
            Show(errors.ToDictionary(e => e.Key, e => new[] { e.Value }));
            Response.StatusCode = errors.GetValueOrDefault(TokenRules.AbilitiesField) == TokenRules.BeyondOwnMessage
                ? StatusCodes.Status403Forbidden
                : StatusCodes.Status422UnprocessableEntity;
            await LoadAsync(cancellationToken);
            return Page();
        }

        DateTime? expiresAt = request.ExpiresInDays is { } days ? clock.GetUtcNow().UtcDateTime.AddDays(days) : null;
        var (token, secret) = await tokens.CreateAsync(Caller.TeamId, request.Name, request.Abilities, expiresAt, cancellationToken, createdByUserId: UserId);
        CreatedName = token.Name;
        CreatedSecret = secret;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id, CancellationToken cancellationToken)
    {
        // Owners and admins revoke any of the team's tokens; a member only the ones they created.
        if (!await tokens.RevokeAsync(id, Caller.TeamId, ManagesMembers ? null : UserId, cancellationToken))
        {
            return NotFound();
        }

        return Done("Token revoked.");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var list = await tokens.ListAsync(Caller.TeamId, cancellationToken);
        var creators = list.Where(t => t.CreatedByUserId is not null).Select(t => t.CreatedByUserId!.Value).Distinct().ToList();
        var emails = await db.Users.AsNoTracking().Where(u => creators.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        Tokens = list.Select(t => new Row(t, t.CreatedByUserId is { } by && emails.TryGetValue(by, out var email) ? email : null)).ToList();
    }
}
