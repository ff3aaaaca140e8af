using Slipway.Api.Http;
using Slipway.Core.Validation;

namespace Slipway.Api.Features.Projects;

/// <summary>Body of <c>POST /projects</c>.</summary>
public sealed record CreateProjectRequest
{
    public string? Name { get; init; }
    public string? Description { get; init; }

    public ValidationErrors Validate() => new ValidationErrors()
        .AddIf("name", TextRules.CheckName(Name, "name"))
        .AddIf("description", TextRules.CheckDescription(Description));
}
