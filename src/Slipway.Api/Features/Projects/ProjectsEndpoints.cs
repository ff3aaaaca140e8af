namespace Slipway.Api.Features.Projects;

public static class ProjectsEndpoints
{
    public static RouteGroupBuilder MapProjectsEndpoints(this RouteGroupBuilder api) => api;
}
