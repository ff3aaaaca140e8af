using Slipway.Api.Http.Fields;
using Slipway.Core.Projects;
using Slipway.Core.Validation;

namespace Slipway.Api.Features.Projects;

/// <summary>The project and environment fields, once each: wire name, rule, assignment, schema facts.</summary>
public static class ProjectTable
{
    public static readonly WireField<Project> Name = WireField<Project>.Text("name", (v, f) => TextRules.CheckName(v, f), (p, v) => p.Name = v!.Trim()).AtMost(255);
    public static readonly WireField<Project> Description = WireField<Project>.Text("description", (v, _) => TextRules.CheckDescription(v), (p, v) => p.Description = v)
        .AcceptsNull().AtMost(2000);

    public static readonly WireField<ProjectEnvironment> EnvironmentName = WireField<ProjectEnvironment>.Text("name", (v, f) => TextRules.CheckName(v, f), (e, v) => e.Name = v!.Trim())
        .AtMost(255);

    /// <summary>Body of <c>POST /projects</c>.</summary>
    public static readonly WireFields<Project> Create = new("CreateProjectRequest", [Name, Description], required: [Name]);

    /// <summary>Body of <c>PATCH /projects/{uuid}</c>: only the fields sent change; a null description clears it.</summary>
    public static readonly WireFields<Project> Update = new("UpdateProjectRequest", [Name, Description]);

    /// <summary>Body of <c>POST /projects/{uuid}/environments</c>.</summary>
    public static readonly WireFields<ProjectEnvironment> CreateEnvironment = new("CreateEnvironmentRequest", [EnvironmentName], required: [EnvironmentName]);
}
