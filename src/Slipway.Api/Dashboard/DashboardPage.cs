using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Slipway.Api.Auth;
using Slipway.Api.Dashboard.Forms;
using Slipway.Api.Features.Applications;
using Slipway.Api.Http.Fields;
using Slipway.Core.Tokens;
using Slipway.Core.Users;
using Slipway.Infrastructure.Tokens;

namespace Slipway.Api.Dashboard;

/// <summary>
/// What every signed-in page knows: who is calling (the session's principal, with the same team and ability claims
/// as a token's), what their role lets them do, and the answer of the last API operation a form ran, with its
/// messages by field for the inputs of the same names.
/// </summary>
public abstract class DashboardPage : PageModel
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public TokenIdentity Caller => HttpContext.Caller();

    public string Email => Caller.Name;

    public string Role => SessionPrincipal.Role(User);

    public long UserId => SessionPrincipal.UserId(User) ?? 0;

    public bool Can(ApiAbility ability) => ApiAbilities.Allows(Caller.Abilities, ability);

    /// <summary>Secret values (environment variables, webhook secrets) are shown only to roles that may read them.</summary>
    public bool SeesSecrets => ApiAbilities.CanReadSensitive(Caller.Abilities);

    public bool ManagesMembers => UserRoles.ManagesMembers(Role);

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = NoErrors;

    /// <summary>The operation's message when it failed (shown above the form), or a confirmation.</summary>
    public string? Problem { get; set; }

    public string? Notice { get; set; }

    public string? Title { get; set; }

    /// <summary>
    /// The API's application operations' dependencies, resolved from this request's services as the endpoints get them
    /// (<c>[AsParameters]</c>), so a dependency the API adds reaches the pages without a second list.
    /// </summary>
    private protected ApplicationServices ApplicationServices() =>
        ActivatorUtilities.CreateInstance<ApplicationServices>(HttpContext.RequestServices);

    /// <summary>Refuses the request (403) unless the caller's role has <paramref name="ability"/>, as the API route does.</summary>
    protected IActionResult? Refuse(ApiAbility ability) => Can(ability) ? null : StatusCode(StatusCodes.Status403Forbidden);

    /// <summary>The form as the JSON body of <paramref name="fields"/>'s operation, with <paramref name="extra"/> values.</summary>
    protected JsonObject Submit<T>(WireFields<T> fields, bool omitEmpty, params (string Name, JsonNode? Value)[] extra)
    {
        var body = FormFields.ToJson(Request.Form, fields, omitEmpty);
        foreach (var (name, value) in extra)
        {
            body[name] = value;
        }

        FormFields.Submit(HttpContext, body);
        return body;
    }

    /// <summary>Keeps a failed operation's message and field errors for the page to show.</summary>
    protected void Show(Outcome outcome)
    {
        Errors = outcome.Errors;
        Problem = outcome.Errors.Count > 0
            ? "Some fields need attention: " + string.Join(" ", outcome.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))
            : outcome.Message;
    }

    /// <summary>
    /// The same, where the operation answers some messages without a field (a 400 or 404 of its own): each of
    /// <paramref name="fieldOf"/>'s messages is shown beside the field it names.
    /// </summary>
    protected void Show(Outcome outcome, IReadOnlyDictionary<string, string> fieldOf)
    {
        if (outcome.Message is { } message && outcome.Errors.Count == 0 && fieldOf.TryGetValue(message, out var field))
        {
            ShowError(field, message);
        }
        else
        {
            Show(outcome);
        }
    }

    /// <summary>Keeps a page's own field errors (a rule checked by the page's service, not an API operation).</summary>
    protected void Show(IReadOnlyDictionary<string, string[]> errors)
    {
        Errors = errors;
        Problem = "Some fields need attention: " + string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
    }

    protected void ShowError(string field, string message)
    {
        Errors = new Dictionary<string, string[]> { [field] = [message] };
        Problem = "Some fields need attention.";
    }

    /// <summary>What was typed into a field of the form this request posted (shown back after a refusal); null on a GET.</summary>
    public virtual string? Value(string name) => Request.HasFormContentType ? Request.Form[name].LastOrDefault() : null;

    /// <summary>Back to this page after a successful POST (so a reload does not post again), with a notice.</summary>
    protected RedirectResult Done(string notice, string? anchor = null) =>
        Redirect($"{Request.Path}?notice={Uri.EscapeDataString(notice)}{(anchor is null ? "" : "#" + anchor)}");

    /// <summary>Reads the notice a <see cref="Done"/> redirect carried (plain text, shown encoded).</summary>
    protected void ReadNotice()
    {
        if (Request.Query.TryGetValue("notice", out var notice) && notice.ToString() is { Length: > 0 and <= 300 } text)
        {
            Notice = text;
        }
    }
}
