using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Tokens;
using Slipway.Core.Validation;

namespace Slipway.Api.Features.Applications;

/// <summary>An application's environment variables; values are encrypted at rest.</summary>
internal static class EnvironmentVariablesEndpoints
{
    public static RouteGroupBuilder MapEnvironmentVariables(this RouteGroupBuilder group)
    {
        group.MapGet("/{uuid}/envs", ListAsync).WithName("list-envs-by-application-uuid").WithSummary("List environment variables.")
            .RequireAbility(ApiAbility.Read);
        group.MapPost("/{uuid}/envs", CreateAsync).WithName("create-env-by-application-uuid").WithSummary("Create an environment variable.")
            .RequireAbility(ApiAbility.Write);
        group.MapPatch("/{uuid}/envs", UpdateAsync).WithName("update-env-by-application-uuid").WithSummary("Update an environment variable by key.")
            .RequireAbility(ApiAbility.Write);
        group.MapPatch("/{uuid}/envs/bulk", BulkAsync).WithName("update-envs-by-application-uuid").WithSummary("Create or update many variables.")
            .RequireAbility(ApiAbility.Write);
        group.MapDelete("/{uuid}/envs/{envUuid}", DeleteAsync).WithName("delete-env-by-application-uuid").WithSummary("Delete an environment variable.")
            .RequireAbility(ApiAbility.Write);
        return group;
    }

    private static async Task<IResult> ListAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var variables = await s.Db.EnvironmentVariables.AsNoTracking()
            .Where(v => v.ApplicationId == application.Id).OrderBy(v => v.Key).ThenBy(v => v.IsPreview).ToListAsync(cancellationToken);
        var sensitive = http.CanReadSensitive();
        return ApiResults.Ok(variables.Select(v => EnvironmentVariableResponse.From(v, sensitive, s.Protector)).ToList());
    }

    private static async Task<IResult> CreateAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var (application, request, failure) = await ReadOneAsync(uuid, http, s, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        if (BuildNameProblem(request!, existing: null) is { } refused)
        {
            return new ValidationErrors().Add("key", refused).ToResult();
        }

        var preview = request!.IsPreview ?? false;
        if (await s.Db.EnvironmentVariables.AnyAsync(v => v.ApplicationId == application!.Id && v.Key == request!.Key && v.IsPreview == preview, cancellationToken))
        {
            return ApiResults.Conflict("Environment variable already exists. Use PATCH request to update it.");
        }

        var variable = NewVariable(application!.Id, request!, s);
        s.Db.EnvironmentVariables.Add(variable);
        await s.Db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created(new UuidResponse(variable.Uuid));
    }

    private static async Task<IResult> UpdateAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var (application, request, failure) = await ReadOneAsync(uuid, http, s, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var preview = request!.IsPreview ?? false;
        var variable = await s.Db.EnvironmentVariables
            .FirstOrDefaultAsync(v => v.ApplicationId == application!.Id && v.Key == request!.Key && v.IsPreview == preview, cancellationToken);
        if (variable is null)
        {
            return ApiResults.NotFound("Environment variable not found.");
        }

        if (BuildNameProblem(request!, variable) is { } refused)
        {
            return new ValidationErrors().Add("key", refused).ToResult();
        }

        Update(variable, request!, s);
        await s.Db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created(EnvironmentVariableResponse.From(variable, http.CanReadSensitive(), s.Protector));
    }

    private static async Task<IResult> BulkAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var (document, failure) = await JsonBody.ParseAsync(http.Request, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        using (document)
        {
            var items = ReadBulk(document?.RootElement, out var errors);
            if (errors.HasErrors)
            {
                return errors.ToResult();
            }

            var existing = await s.Db.EnvironmentVariables.Where(v => v.ApplicationId == application.Id).ToListAsync(cancellationToken);
            for (var index = 0; index < items.Count; index++)
            {
                var item = items[index];
                var match = existing.FirstOrDefault(v => v.Key == item.Key && v.IsPreview == (item.IsPreview ?? false));
                errors.AddIf($"data.{index}.key", BuildNameProblem(item, match));
            }

            if (errors.HasErrors)
            {
                return errors.ToResult();
            }

            var sensitive = http.CanReadSensitive();
            foreach (var request in items)
            {
                var preview = request.IsPreview ?? false;
                var variable = existing.FirstOrDefault(v => v.Key == request.Key && v.IsPreview == preview);
                if (variable is null)
                {
                    variable = NewVariable(application.Id, request, s);
                    s.Db.EnvironmentVariables.Add(variable);
                    existing.Add(variable);
                }
                else
                {
                    Update(variable, request, s);
                }
            }

            await s.Db.SaveChangesAsync(cancellationToken);
            // Rendered after saving, when new rows have their ids.
            return ApiResults.Created(existing.Where(v => items.Any(i => i.Key == v.Key && (i.IsPreview ?? false) == v.IsPreview))
                .Select(v => EnvironmentVariableResponse.From(v, sensitive, s.Protector)).ToList());
        }
    }

    /// <summary>The caller's application and one valid variable from the body, or the answer to give instead.</summary>
    private static async Task<(Application? Application, EnvironmentVariableRequest? Request, IResult? Failure)> ReadOneAsync(
        string uuid, HttpContext http, ApplicationServices s, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return (null, null, ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage));
        }

        var body = await JsonBody.ReadAsync<EnvironmentVariableRequest>(http.Request, null, cancellationToken);
        if (body.Failure is not null)
        {
            return (null, null, body.Failure);
        }

        var errors = new ValidationErrors();
        body.Value!.Validate(errors);
        return errors.HasErrors ? (null, null, errors.ToResult()) : (application, body.Value, null);
    }

    private static List<EnvironmentVariableRequest> ReadBulk(JsonElement? root, out ValidationErrors errors)
    {
        errors = new ValidationErrors();
        var items = new List<EnvironmentVariableRequest>();
        if (root is null || !root.Value.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            errors.Add("data", "The data field is required and must be an array.");
            return items;
        }

        foreach (var property in root.Value.EnumerateObject().Where(p => p.Name != "data"))
        {
            errors.Add(property.Name, JsonBody.NotAllowed);
        }

        var index = 0;
        foreach (var element in data.EnumerateArray())
        {
            var prefix = $"data.{index++}.";
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add(prefix.TrimEnd('.'), "Each item must be an object with key and value.");
                continue;
            }

            var bound = JsonBody.Bind<EnvironmentVariableRequest>(element, null);
            if (bound.Failure is not null)
            {
                errors.Add(prefix.TrimEnd('.'), "The item has unknown fields or values of the wrong type.");
                continue;
            }

            bound.Value!.Validate(errors, prefix);
            items.Add(bound.Value);
        }

        if (items.GroupBy(i => (i.Key, i.IsPreview ?? false)).Any(g => g.Count() > 1))
        {
            errors.Add("data", "Each key may appear once per set (production or preview).");
        }

        return items;
    }

    /// <summary>
    /// A variable that is (or, with this request, becomes) build-time may not be named like anything the docker
    /// client, git, ssh or the loader read (<see cref="BuildVariableRules"/>); runtime-only variables may.
    /// </summary>
    private static string? BuildNameProblem(EnvironmentVariableRequest request, EnvironmentVariable? existing) =>
        request.IsBuildtime ?? existing?.IsBuildtime ?? false ? BuildVariableRules.CheckBuildName(request.Key!) : null;

    private static async Task<IResult> DeleteAsync(string uuid, string envUuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var variable = PublicId.IsPlausible(envUuid)
            ? await s.Db.EnvironmentVariables.FirstOrDefaultAsync(v => v.Uuid == envUuid && v.ApplicationId == application.Id, cancellationToken)
            : null;
        if (variable is null)
        {
            return ApiResults.NotFound("Environment variable not found.");
        }

        s.Db.EnvironmentVariables.Remove(variable);
        await s.Db.SaveChangesAsync(cancellationToken);
        return ApiResults.Message("Environment variable deleted.");
    }

    private static EnvironmentVariable NewVariable(long applicationId, EnvironmentVariableRequest r, ApplicationServices s)
    {
        var now = Timestamps.Now(s.Clock);
        var variable = new EnvironmentVariable
        {
            Uuid = PublicId.New(),
            ApplicationId = applicationId,
            Key = r.Key!,
            ProtectedValue = s.Protector.Protect(r.Value!),
            IsPreview = r.IsPreview ?? false,
            CreatedAt = now,
            UpdatedAt = now,
        };
        Update(variable, r, s);
        return variable;
    }

    private static void Update(EnvironmentVariable variable, EnvironmentVariableRequest r, ApplicationServices s)
    {
        variable.ProtectedValue = s.Protector.Protect(r.Value!);
        variable.IsBuildtime = r.IsBuildtime ?? variable.IsBuildtime;
        variable.IsRuntime = r.IsRuntime ?? variable.IsRuntime;
        variable.IsLiteral = r.IsLiteral ?? variable.IsLiteral;
        variable.IsMultiline = r.IsMultiline ?? variable.IsMultiline;
        // A locked secret stays locked: Coolify never unlocks a shown-once variable through the API.
        variable.IsShownOnce = variable.IsShownOnce || (r.IsShownOnce ?? false);
        variable.Comment = r.Comment ?? variable.Comment;
        variable.UpdatedAt = Timestamps.Now(s.Clock);
    }
}
