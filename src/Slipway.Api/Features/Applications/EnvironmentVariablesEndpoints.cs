using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Tokens;
using Slipway.Core.Validation;

namespace Slipway.Api.Features.Applications;

/// <summary>An application's environment variables; values are encrypted at rest.</summary>
internal static class EnvironmentVariablesEndpoints
{
    /// <summary>The one field of <c>PATCH …/envs/bulk</c>: the list of variables.</summary>
    public const string BulkData = "data";

    public static RouteGroupBuilder MapEnvironmentVariables(this RouteGroupBuilder group)
    {
        group.MapGet("/{uuid}/envs", ListAsync).WithName("list-envs-by-application-uuid").WithSummary("List environment variables.")
            .RequireAbility(ApiAbility.Read);
        group.MapPost("/{uuid}/envs", CreateAsync).WithName("create-env-by-application-uuid").WithSummary("Create an environment variable.")
            .RequireAbility(ApiAbility.Write).AcceptsFields(EnvironmentVariableTable.One);
        group.MapPatch("/{uuid}/envs", UpdateAsync).WithName("update-env-by-application-uuid").WithSummary("Update an environment variable by key.")
            .RequireAbility(ApiAbility.Write).AcceptsFields(EnvironmentVariableTable.One);
        group.MapPatch("/{uuid}/envs/bulk", BulkAsync).WithName("update-envs-by-application-uuid").WithSummary("Create or update many variables.")
            .RequireAbility(ApiAbility.Write).AcceptsFields(EnvironmentVariableTable.Bulk);
        group.MapDelete("/{uuid}/envs/{env_uuid}", DeleteAsync).WithName("delete-env-by-application-uuid").WithSummary("Delete an environment variable.")
            .RequireAbility(ApiAbility.Write);
        return group;
    }

    private static async Task<Results<Ok<List<EnvironmentVariableResponse>>, NotFound<ErrorResponse>>> ListAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
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

    private static async Task<Results<Created<UuidResponse>, NotFound<ErrorResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>, Conflict<ErrorResponse>>> CreateAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var body = await WireBody<EnvironmentVariableDraft>.ReadAsync(http.Request, EnvironmentVariableTable.One, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var errors = new ValidationErrors();
        body.Validate(Unsaved(s), errors);
        if (!errors.HasErrors)
        {
            errors.AddIf(EnvironmentVariableTable.Key.Name, BuildNameProblem(body, existing: null));
        }

        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        var (key, preview) = Identity(body);
        if (await s.Db.EnvironmentVariables.AnyAsync(v => v.ApplicationId == application.Id && v.Key == key && v.IsPreview == preview, cancellationToken))
        {
            return ApiResults.Conflict("Environment variable already exists. Use PATCH request to update it.");
        }

        var variable = NewVariable(application.Id, body, s);
        s.Db.EnvironmentVariables.Add(variable);
        await s.Db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created(new UuidResponse(variable.Uuid));
    }

    private static async Task<Results<Created<EnvironmentVariableResponse>, NotFound<ErrorResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>>> UpdateAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var body = await WireBody<EnvironmentVariableDraft>.ReadAsync(http.Request, EnvironmentVariableTable.One, cancellationToken);
        if (body.Failure is not null)
        {
            return body.Failure;
        }

        var errors = new ValidationErrors();
        body.Validate(Unsaved(s), errors);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        var (key, preview) = Identity(body);
        var variable = await s.Db.EnvironmentVariables
            .FirstOrDefaultAsync(v => v.ApplicationId == application.Id && v.Key == key && v.IsPreview == preview, cancellationToken);
        if (variable is null)
        {
            return ApiResults.NotFound("Environment variable not found.");
        }

        if (BuildNameProblem(body, variable) is { } refused)
        {
            return new ValidationErrors().Add(EnvironmentVariableTable.Key.Name, refused).ToResult();
        }

        Update(variable, body, s);
        await s.Db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created(EnvironmentVariableResponse.From(variable, http.CanReadSensitive(), s.Protector));
    }

    private static async Task<Results<Created<List<EnvironmentVariableResponse>>, NotFound<ErrorResponse>, BodyRejected, UnprocessableEntity<ValidationErrorResponse>>> BulkAsync(string uuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
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
            var items = ReadBulk(document?.RootElement, Unsaved(s), out var errors);
            if (errors.HasErrors)
            {
                return errors.ToResult();
            }

            var existing = await s.Db.EnvironmentVariables.Where(v => v.ApplicationId == application.Id).ToListAsync(cancellationToken);
            for (var index = 0; index < items.Count; index++)
            {
                var (key, preview) = Identity(items[index]);
                var match = existing.FirstOrDefault(v => v.Key == key && v.IsPreview == preview);
                errors.AddIf($"{BulkData}.{index}.{EnvironmentVariableTable.Key.Name}", BuildNameProblem(items[index], match));
            }

            if (errors.HasErrors)
            {
                return errors.ToResult();
            }

            var sensitive = http.CanReadSensitive();
            foreach (var item in items)
            {
                var (key, preview) = Identity(item);
                var variable = existing.FirstOrDefault(v => v.Key == key && v.IsPreview == preview);
                if (variable is null)
                {
                    variable = NewVariable(application.Id, item, s);
                    s.Db.EnvironmentVariables.Add(variable);
                    existing.Add(variable);
                }
                else
                {
                    Update(variable, item, s);
                }
            }

            await s.Db.SaveChangesAsync(cancellationToken);
            // Rendered after saving, when new rows have their ids.
            var sent = items.Select(Identity).ToHashSet();
            return ApiResults.Created(existing.Where(v => sent.Contains((v.Key, v.IsPreview)))
                .Select(v => EnvironmentVariableResponse.From(v, sensitive, s.Protector)).ToList());
        }
    }

    /// <summary>What identifies a variable within its application: its key and which set it is in (production or preview).</summary>
    private static (string Key, bool Preview) Identity(WireBody<EnvironmentVariableDraft> body) =>
        (body.Text(EnvironmentVariableTable.Key)!, body.Flag(EnvironmentVariableTable.IsPreview) ?? false);

    private static EnvironmentVariableDraft Draft(EnvironmentVariable variable, ApplicationServices s) => new(variable, s.Protector);

    /// <summary>What rules are checked against before the variable is found or made (they look at the value alone).</summary>
    private static EnvironmentVariableDraft Unsaved(ApplicationServices s) =>
        Draft(new EnvironmentVariable { Uuid = string.Empty, Key = string.Empty, ProtectedValue = string.Empty }, s);

    private static List<WireBody<EnvironmentVariableDraft>> ReadBulk(JsonElement? root, EnvironmentVariableDraft draft, out ValidationErrors errors)
    {
        errors = new ValidationErrors();
        var items = new List<WireBody<EnvironmentVariableDraft>>();
        if (root is null || !root.Value.TryGetProperty(BulkData, out var data) || data.ValueKind != JsonValueKind.Array)
        {
            errors.Add(BulkData, $"The {BulkData} field is required and must be an array.");
            return items;
        }

        foreach (var property in root.Value.EnumerateObject().Where(p => p.Name != BulkData))
        {
            errors.Add(property.Name, JsonBody.NotAllowed);
        }

        var index = 0;
        foreach (var element in data.EnumerateArray())
        {
            var item = $"{BulkData}.{index++}";
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add(item, "Each item must be an object with key and value.");
                continue;
            }

            var bound = WireBody<EnvironmentVariableDraft>.Read(element, EnvironmentVariableTable.One);
            if (bound.Failure is not null)
            {
                errors.Add(item, "The item has unknown fields or values of the wrong type.");
                continue;
            }

            // The item's own errors, named inside the request: data.0.key.
            var itemErrors = new ValidationErrors();
            bound.Validate(draft, itemErrors);
            foreach (var (field, messages) in itemErrors.ToDictionary())
            {
                foreach (var message in messages)
                {
                    errors.Add($"{item}.{field}", message);
                }
            }

            items.Add(bound);
        }

        if (items.GroupBy(Identity).Any(g => g.Count() > 1))
        {
            errors.Add(BulkData, "Each key may appear once per set (production or preview).");
        }

        return items;
    }

    /// <summary>
    /// A variable that is (or, with this request, becomes) build-time may not be named like anything the docker
    /// client, git, ssh or the loader read (<see cref="BuildVariableRules"/>); runtime-only variables may.
    /// </summary>
    private static string? BuildNameProblem(WireBody<EnvironmentVariableDraft> body, EnvironmentVariable? existing) =>
        body.Flag(EnvironmentVariableTable.IsBuildtime) ?? existing?.IsBuildtime ?? false ? BuildVariableRules.CheckBuildName(body.Text(EnvironmentVariableTable.Key)!) : null;

    private static async Task<Results<Ok<MessageResponse>, NotFound<ErrorResponse>>> DeleteAsync(string uuid, [FromRoute(Name = "env_uuid")] string envUuid, HttpContext http, [AsParameters] ApplicationServices s, CancellationToken cancellationToken)
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

    private static EnvironmentVariable NewVariable(long applicationId, WireBody<EnvironmentVariableDraft> body, ApplicationServices s)
    {
        var now = Timestamps.Now(s.Clock);
        var variable = new EnvironmentVariable
        {
            Uuid = PublicId.New(),
            ApplicationId = applicationId,
            Key = string.Empty,
            ProtectedValue = string.Empty,
            CreatedAt = now,
            UpdatedAt = now,
        };
        Update(variable, body, s);
        return variable;
    }

    private static void Update(EnvironmentVariable variable, WireBody<EnvironmentVariableDraft> body, ApplicationServices s)
    {
        body.Assign(Draft(variable, s));
        variable.UpdatedAt = Timestamps.Now(s.Clock);
    }
}
