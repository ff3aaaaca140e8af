using Slipway.Api.Http;
using Slipway.Core.Validation;

namespace Slipway.Api.Features.Projects;

/// <summary>Body of <c>POST /projects/{uuid}/environments</c>.</summary>
public sealed record CreateEnvironmentRequest
{
    public string? Name { get; init; }

    public ValidationErrors Validate() => new ValidationErrors().AddIf("name", TextRules.CheckName(Name, "name"));
}
