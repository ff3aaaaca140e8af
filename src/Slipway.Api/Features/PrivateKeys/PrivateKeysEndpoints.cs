using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Common;
using Slipway.Core.PrivateKeys;
using Slipway.Core.Secrets;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.PrivateKeys;

namespace Slipway.Api.Features.PrivateKeys;

/// <summary>
/// <c>/security/keys</c>: SSH private keys of the caller's team. Keys are parsed before they are accepted,
/// stored only encrypted, and answered with their public key and fingerprint, never the key itself.
/// </summary>
public static class PrivateKeysEndpoints
{
    public const string NotFoundMessage = "Private Key not found.";
    public const string InUseMessage = "Private Key is in use and cannot be deleted.";

    public static RouteGroupBuilder MapPrivateKeysEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/security/keys").WithTags("Private Keys");
        group.MapGet("", ListAsync).WithName("list-private-keys").WithSummary("List the team's private keys (without key material).")
            .RequireAbility(ApiAbility.Read);
        group.MapPost("", CreateAsync).WithName("create-private-key").WithSummary("Add a private key.")
            .RequireAbility(ApiAbility.Write).AcceptsFields(PrivateKeyTable.Create);
        group.MapGet("/{uuid}", GetAsync).WithName("get-private-key-by-uuid").WithSummary("Get a private key (without key material).")
            .RequireAbility(ApiAbility.Read);
        group.MapPatch("/{uuid}", UpdateAsync).WithName("update-private-key").WithSummary("Rename, describe or replace a private key.")
            .RequireAbility(ApiAbility.Write).AcceptsFields(PrivateKeyTable.Update);
        group.MapDelete("/{uuid}", DeleteAsync).WithName("delete-private-key-by-uuid").WithSummary("Delete a private key no server or application uses.")
            .RequireAbility(ApiAbility.Write);
        return group;
    }

    /// <summary>The caller's key, or null for an implausible uuid, an unknown one or another team's.</summary>
    internal static async Task<PrivateKey?> FindAsync(SlipwayDbContext db, string? uuid, long teamId, CancellationToken cancellationToken) =>
        PublicId.IsPlausible(uuid)
            ? await db.PrivateKeys.FirstOrDefaultAsync(k => k.Uuid == uuid && k.TeamId == teamId, cancellationToken)
            : null;

    private static async Task<Ok<List<PrivateKeyResponse>>> ListAsync(HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var teamId = http.Caller().TeamId;
        var keys = await db.PrivateKeys.AsNoTracking().Where(k => k.TeamId == teamId).OrderBy(k => k.Id).ToListAsync(cancellationToken);
        return ApiResults.Ok(keys.Select(PrivateKeyResponse.From).ToList());
    }

    private static async Task<Results<Ok<PrivateKeyResponse>, NotFound<ErrorResponse>>> GetAsync(string uuid, HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var key = await FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        return key is null ? ApiResults.NotFound(NotFoundMessage) : ApiResults.Ok(PrivateKeyResponse.From(key));
    }

    private static async Task<Results<Created<UuidResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>>> CreateAsync(
        HttpContext http, SlipwayDbContext db, ISecretProtector protector, TimeProvider clock, CancellationToken cancellationToken)
    {
        var body = await WireBody<PrivateKey>.ReadAsync(http.Request, PrivateKeyTable.Create, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var now = Timestamps.Now(clock);
        var key = new PrivateKey
        {
            Uuid = PublicId.New(),
            TeamId = http.Caller().TeamId,
            Name = string.Empty,
            ProtectedPrivateKey = string.Empty,
            PublicKey = string.Empty,
            Fingerprint = string.Empty,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var errors = new ValidationErrors();
        body.Apply(key, errors);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        var material = body.Text(PrivateKeyTable.Key)!;
        var info = SshKeyInspector.TryInspect(material, out var inspected, out _) ? inspected : throw new InvalidOperationException("The key passed its rule.");
        key.ProtectedPrivateKey = protector.Protect(SshKeyInspector.Normalize(material));
        key.PublicKey = info.PublicKey;
        key.Fingerprint = info.Fingerprint;
        if (string.IsNullOrWhiteSpace(key.Name))
        {
            key.Name = info.Fingerprint;
        }

        db.PrivateKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created(new UuidResponse(key.Uuid));
    }

    private static async Task<Results<Created<UuidResponse>, NotFound<ErrorResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>>> UpdateAsync(
        string uuid, HttpContext http, SlipwayDbContext db, ISecretProtector protector, TimeProvider clock, CancellationToken cancellationToken)
    {
        var key = await FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (key is null)
        {
            return ApiResults.NotFound(NotFoundMessage);
        }

        var body = await WireBody<PrivateKey>.ReadAsync(http.Request, PrivateKeyTable.Update, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var errors = new ValidationErrors();
        body.Validate(key, errors);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        body.Assign(key);
        var material = body.Text(PrivateKeyTable.Key);
        SshKeyInfo? info = body.Has(PrivateKeyTable.Key) && SshKeyInspector.TryInspect(material, out var inspected, out _) ? inspected : null;
        if (info is not null && info.Fingerprint != key.Fingerprint)
        {
            key.ProtectedPrivateKey = protector.Protect(SshKeyInspector.Normalize(material!));
            key.PublicKey = info.PublicKey;
            key.Fingerprint = info.Fingerprint;

            // A server's last validation was made with the old key; it says nothing about the new one.
            await db.Servers.Where(s => s.PrivateKeyId == key.Id && !s.IsLocalhost)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.IsReachable, false).SetProperty(x => x.IsUsable, false), cancellationToken);
        }

        key.UpdatedAt = Timestamps.Now(clock);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created(new UuidResponse(key.Uuid));
    }

    private static async Task<Results<Ok<MessageResponse>, NotFound<ErrorResponse>, UnprocessableEntity<ErrorResponse>>> DeleteAsync(string uuid, HttpContext http, SlipwayDbContext db, CancellationToken cancellationToken)
    {
        var key = await FindAsync(db, uuid, http.Caller().TeamId, cancellationToken);
        if (key is null)
        {
            return ApiResults.NotFound(NotFoundMessage);
        }

        var inUse = await db.Servers.AnyAsync(s => s.PrivateKeyId == key.Id, cancellationToken)
            || await db.Applications.AnyAsync(a => a.PrivateKeyId == key.Id, cancellationToken);
        if (inUse)
        {
            return TypedResults.UnprocessableEntity(new ErrorResponse(InUseMessage));
        }

        db.PrivateKeys.Remove(key);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Message("Private Key deleted.");
    }
}
