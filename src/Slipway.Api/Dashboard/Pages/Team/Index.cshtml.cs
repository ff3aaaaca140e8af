using Microsoft.AspNetCore.Mvc;
using Slipway.Core.Users;
using Slipway.Infrastructure.Users;

namespace Slipway.Api.Dashboard.Pages.Team;

/// <summary>
/// The team's members through <see cref="UserService"/> (as <c>slipway users</c> uses it): everyone sees who is in the
/// team; owners and admins add members, change roles and remove members within <see cref="UserRoles.MayAssign"/>.
/// </summary>
public sealed class IndexModel(UserService users) : DashboardPage
{
    public List<User> Members { get; private set; } = [];

    /// <summary>The roles this person may give a member whose role is <paramref name="current"/> (null: a new member).</summary>
    public IReadOnlyList<string> Roles(string? current) =>
        UserRoles.All.Where(r => r == current || UserRoles.MayAssign(Role, current, r)).ToList();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ReadNotice();
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? role, CancellationToken cancellationToken)
    {
        if (!UserRoles.MayAssign(Role, null, role ?? UserRoles.Member))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var created = await users.CreateAsync(Caller.TeamId, email ?? string.Empty, password ?? string.Empty, role ?? UserRoles.Member, cancellationToken);
        if (created.Error is null)
        {
            return Done($"{created.User!.Email} added as {created.User.Role}.");
        }

        ShowError(created.Field ?? "email", created.Error);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostRoleAsync(long id, string? role, CancellationToken cancellationToken) =>
        ChangeAsync(id, role ?? string.Empty, cancellationToken);

    public Task<IActionResult> OnPostRemoveAsync(long id, CancellationToken cancellationToken) => ChangeAsync(id, null, cancellationToken);

    private async Task<IActionResult> ChangeAsync(long id, string? role, CancellationToken cancellationToken)
    {
        var member = await users.FindAsync(Caller.TeamId, id, cancellationToken);
        if (member is null)
        {
            return NotFound();
        }

        if ((role is not null && !UserRoles.IsValid(role)) || !UserRoles.MayAssign(Role, member.Role, role) || (role is null && member.Id == UserId))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (await users.ChangeAsync(Caller.TeamId, id, role, cancellationToken) is { } problem)
        {
            Problem = problem;
            Response.StatusCode = StatusCodes.Status409Conflict;
            await LoadAsync(cancellationToken);
            return Page();
        }

        return Done(role is null ? $"{member.Email} removed." : $"{member.Email} is now {role}.");
    }

    private async Task LoadAsync(CancellationToken cancellationToken) => Members = await users.ListAsync(Caller.TeamId, cancellationToken);
}
