namespace Slipway.Api.Features.Applications;

public static class ApplicationsEndpoints
{
    public static RouteGroupBuilder MapApplicationsEndpoints(this RouteGroupBuilder api) => api;
}
