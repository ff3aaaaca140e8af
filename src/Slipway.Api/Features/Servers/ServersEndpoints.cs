namespace Slipway.Api.Features.Servers;

public static class ServersEndpoints
{
    public static RouteGroupBuilder MapServersEndpoints(this RouteGroupBuilder api) => api;
}
