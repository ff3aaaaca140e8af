using Slipway.Api.Http;
using Slipway.Core.Validation;

namespace Slipway.Api.Features.Projects;

/// <summary>Body of <c>PATCH /projects/{uuid}</c>: only the fields sent change; a null description clears it.</summary>
public sealed record UpdateProjectRequest
{
    public string? Name { get; init; }
    public string? Description { get; init; }

    public ValidationErrors Validate(BodyResult<UpdateProjectRequest> body)
    {
        var errors = new ValidationErrors();
        if (body.Has("name"))
        {
            errors.AddIf("name", TextRules.CheckName(Name, "name"));
        }

        return errors.AddIf("description", TextRules.CheckDescription(Description));
    }
}
