namespace Slipway.Api.Features.PrivateKeys;

public static class PrivateKeysEndpoints
{
    public static RouteGroupBuilder MapPrivateKeysEndpoints(this RouteGroupBuilder api) => api;
}
